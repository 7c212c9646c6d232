import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError, describeError } from '../../lib/api-error';
import type { User } from '../../lib/api-types';
import { useApi } from '../../lib/session';
import { createDevUser } from './dev-auth-api';

interface FieldErrors {
  handle?: string;
  displayName?: string;
  form?: string;
}

/** The API's errors, placed beside the field they are about. */
const fieldErrorsOf = (error: unknown): FieldErrors => {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_handle' || error.code === 'handle_taken') {
      return { handle: error.message };
    }
    if (error.code === 'invalid_display_name') return { displayName: error.message };
  }
  return { form: describeError(error) };
};

export const CreateUserForm = ({ onCreated }: { onCreated: (user: User) => void }) => {
  const api = useApi();
  const id = useId();
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const handleInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      // The server is the one judge of a valid handle; it also lower-cases and strips the @.
      onCreated(await createDevUser(api, { handle, display_name: displayName }));
    } catch (error) {
      const found = fieldErrorsOf(error);
      setErrors(found);
      setBusy(false);
      // Focus reads the field with its error (aria-describedby) to screen reader users.
      if (found.handle) handleInput.current?.focus();
      else if (found.displayName) nameInput.current?.focus();
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`} className="form__title">
        Create a user
      </h2>
      <div className="field">
        <label htmlFor={`${id}-handle`}>Handle</label>
        <div className="input-with-prefix">
          <span aria-hidden="true">@</span>
          <input
            ref={handleInput}
            id={`${id}-handle`}
            name="handle"
            value={handle}
            onChange={(event) => setHandle(event.target.value.replace(/^@+/, ''))}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={errors.handle ? true : undefined}
            aria-describedby={`${id}-handle-hint${errors.handle ? ` ${id}-handle-error` : ''}`}
          />
        </div>
        <p className="field__hint" id={`${id}-handle-hint`}>
          3 to 30 lower-case letters, digits or underscores.
        </p>
        {errors.handle && (
          <p className="field__error" id={`${id}-handle-error`}>
            {errors.handle}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Display name</label>
        <input
          ref={nameInput}
          id={`${id}-name`}
          name="display_name"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          autoComplete="name"
          required
          aria-invalid={errors.displayName ? true : undefined}
          aria-describedby={errors.displayName ? `${id}-name-error` : undefined}
        />
        {errors.displayName && (
          <p className="field__error" id={`${id}-name-error`}>
            {errors.displayName}
          </p>
        )}
      </div>
      {errors.form && (
        <p className="field__error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create and sign in'}
      </button>
    </form>
  );
};
