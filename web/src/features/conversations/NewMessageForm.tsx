import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Icon } from '../../components/Icon';
import { ApiError, describeError } from '../../lib/api-error';
import { paths } from '../../lib/paths';
import { useApi, useSignedInUser } from '../../lib/session';
import { lookupUser, normalizeHandleInput } from './conversations-api';

/** Why a handle cannot be messaged, in words; null when it can. */
const problemWith = (error: unknown, handle: string): string => {
  if (error instanceof ApiError && error.code === 'user_not_found') return `No user @${handle}`;
  if (error instanceof ApiError && error.code === 'invalid_handle') {
    return `@${handle} is not a handle: 3 to 30 letters, digits or underscores.`;
  }
  return describeError(error);
};

/** "New message": find a person by handle, then open the conversation with them. */
export const NewMessageForm = ({ onClose }: { onClose: () => void }) => {
  const api = useApi();
  const me = useSignedInUser();
  const navigate = useNavigate();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => input.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const handle = normalizeHandleInput(value);
    if (!handle) return;
    if (handle === me.handle) {
      setProblem('That is you. Pick someone else.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const user = await lookupUser(api, handle);
      onClose();
      navigate(paths.newConversation(user.handle));
    } catch (error) {
      setProblem(problemWith(error, handle));
      setBusy(false);
      input.current?.focus();
    }
  };

  return (
    <form
      className="new-message"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
      aria-label="New message"
    >
      <label htmlFor={`${id}-handle`} className="new-message__label">
        To
      </label>
      <div className="new-message__row">
        <div className="input-with-prefix">
          <span aria-hidden="true">@</span>
          <input
            ref={input}
            id={`${id}-handle`}
            value={value}
            onChange={(event) => {
              // The @ is already shown before the field.
              setValue(event.target.value.replace(/^@+/, ''));
              setProblem(null);
            }}
            placeholder="handle"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={busy || !value.trim()}>
          {busy ? 'Finding…' : 'Next'}
        </button>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Cancel">
          <Icon name="close" />
        </button>
      </div>
      {problem && (
        <p className="field__error" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </form>
  );
};
