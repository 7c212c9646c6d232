import { startTransition, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Spinner } from '../../components/Spinner';
import { ApiError, describeError, isAbortError } from '../../lib/api-error';
import type { User } from '../../lib/api-types';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CognitoSignIn } from './CognitoSignIn';
import { CreateUserForm } from './CreateUserForm';
import { createDevSession, listDevUsers } from './dev-auth-api';
import { UserPicker } from './UserPicker';

type Users =
  | { state: 'loading' }
  | { state: 'loaded'; users: User[] }
  | { state: 'no_dev_sign_in' }
  | { state: 'failed'; message: string };

/** Where to go after signing in: back where the guard sent us from, else the inbox. */
const useReturnPath = (): string => {
  const state = useLocation().state as { from?: unknown } | null;
  return typeof state?.from === 'string' && state.from.startsWith('/') ? state.from : '/messages';
};

export const SignInPage = () => {
  useDocumentTitle('Sign in');
  const { session, api, signIn, endedBecause } = useSession();
  const returnPath = useReturnPath();
  const [users, setUsers] = useState<Users>({ state: 'loading' });
  const [signingIn, setSigningIn] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `attempt` loads again
  useEffect(() => {
    const controller = new AbortController();
    listDevUsers(api, controller.signal).then(
      // A transition: React builds the list (dozens of people) in slices between which the
      // page stays responsive, instead of one long task on a slow phone.
      (loaded) => startTransition(() => setUsers({ state: 'loaded', users: loaded })),
      (error: unknown) => {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && error.status === 404)
          setUsers({ state: 'no_dev_sign_in' });
        else setUsers({ state: 'failed', message: describeError(error) });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  if (session) return <Navigate to={returnPath} replace />;

  const signInAs = async (user: User) => {
    setSigningIn(user.handle);
    setSignInError(null);
    try {
      // The new session re-renders this page, whose <Navigate> then leaves for returnPath.
      signIn(await createDevSession(api, user.handle));
    } catch (error) {
      setSignInError(describeError(error));
      setSigningIn(null);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in__card">
        <header className="sign-in__header">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Cruddur Messaging</h1>
          <p className="muted">
            {users.state === 'no_dev_sign_in'
              ? 'Sign in with your account. You stay signed in for this tab only.'
              : 'Local sign-in for development: pick a user, or create one. You stay signed in for this tab only, so another tab can be someone else.'}
          </p>
        </header>
        {endedBecause && (
          <p className="notice" role="status">
            {endedBecause}
          </p>
        )}
        <section aria-labelledby="sign-in-users-title">
          <h2 id="sign-in-users-title" className="form__title">
            Sign in as
          </h2>
          {users.state === 'loading' && <Spinner label="Loading users" />}
          {users.state === 'failed' && (
            <ErrorNotice
              action={
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setUsers({ state: 'loading' });
                    setAttempt((n) => n + 1);
                  }}
                >
                  Try again
                </button>
              }
            >
              Could not load the users: {users.message}
            </ErrorNotice>
          )}
          {users.state === 'no_dev_sign_in' && (
            <CognitoSignIn
              onSignedIn={(session) => {
                // The new session re-renders this page, whose <Navigate> then leaves.
                signIn(session);
              }}
            />
          )}
          {users.state === 'loaded' &&
            (users.users.length > 0 ? (
              <UserPicker users={users.users} signingIn={signingIn} onPick={signInAs} />
            ) : (
              <p className="muted">No users yet: create the first one below.</p>
            ))}
          {signInError && (
            <p className="field__error" role="alert">
              {signInError}
            </p>
          )}
        </section>
        {/* Shown with the list, not before it: the list would push it down under the reader
            (a layout shift), and in Cognito mode it never shows. */}
        {users.state !== 'no_dev_sign_in' && users.state !== 'loading' && (
          <CreateUserForm onCreated={signInAs} />
        )}
      </div>
    </main>
  );
};
