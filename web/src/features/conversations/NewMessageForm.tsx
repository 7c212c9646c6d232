import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Icon } from '../../components/Icon';
import { ApiError, describeError } from '../../lib/api-error';
import { paths } from '../../lib/paths';
import { useApi, useSignedInUser } from '../../lib/session';
import { useConversationList } from './ConversationsProvider';
import { lookupUser, normalizeHandleInput } from './conversations-api';
import { PeopleCombobox } from './PeopleCombobox';

/** Why a handle cannot be messaged, in words; null when it can. */
const problemWith = (error: unknown, handle: string): string => {
  if (error instanceof ApiError && error.code === 'user_not_found') return `No user @${handle}`;
  if (error instanceof ApiError && error.code === 'invalid_handle') {
    return `@${handle} is not a handle (3 to 30 letters, digits or underscores): pick a person from the list.`;
  }
  return describeError(error);
};

/**
 * "New message": find a person by name or handle (picked from the suggestions, or a whole
 * handle typed), then open the conversation with them.
 */
export const NewMessageForm = ({ onClose }: { onClose: () => void }) => {
  const api = useApi();
  const me = useSignedInUser();
  const navigate = useNavigate();
  const { rows } = useConversationList();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => input.current?.focus(), []);

  // Ours already when it is in the list or the lookup named it (one further down the list
  // than has loaded); otherwise the new-conversation screen, which looks the person up.
  const openConversationWith = (handle: string, knownUuid?: string | null) => {
    const uuid = rows.find((row) => row.handle === handle)?.uuid ?? knownUuid;
    onClose();
    navigate(uuid ? paths.conversation(uuid) : paths.newConversation(handle));
  };

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
      openConversationWith(user.handle, user.message_group_uuid);
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
        <PeopleCombobox
          id={`${id}-handle`}
          value={value}
          onChange={(text) => {
            setValue(text);
            setProblem(null);
          }}
          onPick={(user) => openConversationWith(user.handle)}
          inputRef={input}
          invalid={problem !== null}
          describedBy={problem ? `${id}-problem` : undefined}
        />
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
