import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Spinner } from '../../components/Spinner';
import { describeError } from '../../lib/api-error';
import type { AuthConfig } from '../../lib/api-types';
import type { Session } from '../../lib/session';
import { completeCognitoSignIn, startCognitoSignIn } from './cognito-sign-in';

type State =
  | { step: 'loading' }
  | { step: 'ready'; config: AuthConfig }
  | { step: 'completing' }
  | { step: 'failed'; message: string };

/**
 * The sign-in of a Cognito server: a button to the hosted pages, and, when they send the
 * person back here with `?code`, the end of the authorization code + PKCE flow.
 */
export const CognitoSignIn = ({
  onSignedIn,
}: {
  onSignedIn: (session: Session, returnPath: string) => void;
}) => {
  const [state, setState] = useState<State>({ step: 'loading' });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // the code can be traded once only
    started.current = true;
    void (async () => {
      try {
        const config = (await (await fetch('/api/auth/config')).json()) as AuthConfig;
        const params = new URLSearchParams(window.location.search);
        if (config.mode === 'cognito' && config.hosted_sign_in && params.has('code')) {
          setState({ step: 'completing' });
          const { session, returnPath } = await completeCognitoSignIn(
            config.hosted_sign_in,
            params,
          );
          window.history.replaceState(null, '', window.location.pathname);
          onSignedIn(session, returnPath);
          return;
        }
        setState({ step: 'ready', config });
      } catch (error) {
        setState({ step: 'failed', message: describeError(error) });
      }
    })();
  }, [onSignedIn]);

  if (state.step === 'loading') return <Spinner label="Loading the sign-in" />;
  if (state.step === 'completing') return <Spinner label="Signing you in" />;
  if (state.step === 'failed') return <ErrorNotice>{state.message}</ErrorNotice>;
  const { config } = state;
  if (config.mode !== 'cognito' || !config.hosted_sign_in) {
    return (
      <ErrorNotice>
        This server has no sign-in the web app can use (no hosted sign-in configured).
      </ErrorNotice>
    );
  }
  const hosted = config.hosted_sign_in;
  return (
    <button
      type="button"
      className="button button--primary"
      onClick={() => void startCognitoSignIn(hosted, '/messages')}
    >
      Sign in with your account
    </button>
  );
};
