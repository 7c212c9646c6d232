import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ApiError, describeError } from '../../lib/api-error';
import { useEditWindowSeconds } from '../../lib/live-events';

/** Whether a message sent at `createdAt` may still be edited (the server's EDIT_WINDOW_S). */
export const withinEditWindow = (
  createdAt: string,
  windowSeconds: number,
  now = Date.now(),
): boolean => now - Date.parse(createdAt) < windowSeconds * 1000;

/** "15 minutes", "90 seconds": the window as a person reads it. */
export const describeWindow = (seconds: number): string =>
  seconds % 60 === 0
    ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
    : `${seconds} second${seconds === 1 ? '' : 's'}`;

const editFailure = (error: unknown, windowSeconds: number): string => {
  if (error instanceof ApiError && error.code === 'edit_window_closed')
    return `This message can no longer be edited: messages can only be edited for ${describeWindow(windowSeconds)} after they are sent.`;
  if (error instanceof ApiError && error.status === 422)
    return `Could not save the edit: ${error.message}`;
  return `Could not save the edit. ${describeError(error)}`;
};

interface EditFormProps {
  text: string;
  onSave: (text: string) => Promise<void>;
  /** Closed, saved or not; the caller puts the focus back on the message's menu button. */
  onDone: () => void;
}

/** Inline edit: Enter saves, Shift+Enter starts a new line, Escape cancels. */
export const EditForm = ({ text, onSave, onDone }: EditFormProps) => {
  const [value, setValue] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const windowSeconds = useEditWindowSeconds();
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (saving) return;
    if (value === text) {
      onDone();
      return;
    }
    setSaving(true);
    setError(null);
    onSave(value).then(onDone, (failure: unknown) => {
      setSaving(false);
      setError(editFailure(failure, windowSeconds));
    });
  };

  return (
    <form className="message-edit" onSubmit={save}>
      <textarea
        ref={box}
        className="message-edit__box"
        aria-label="Edit message"
        dir="auto"
        rows={Math.min(6, value.split('\n').length)}
        value={value}
        readOnly={saving}
        aria-invalid={error !== null}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onDone();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            save(event);
          }
        }}
      />
      <span className="message-edit__hint">Enter to save · Escape to cancel</span>
      {error && (
        <p className="message-edit__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
};

interface UnsendDialogProps {
  onUnsend: () => Promise<void>;
  /** Closed, unsent or not. */
  onClose: (unsent: boolean) => void;
  returnFocus: RefObject<HTMLButtonElement | null>;
}

/** Asks before unsending (the app's modal confirmation: focus kept inside, Escape cancels). */
export const UnsendDialog = ({ onUnsend, onClose, returnFocus }: UnsendDialogProps) => (
  <ConfirmDialog
    title="Unsend this message?"
    description="It will be removed for both of you."
    confirmLabel="Unsend"
    failure="Could not unsend the message."
    onConfirm={onUnsend}
    onClose={onClose}
    returnFocus={returnFocus}
  />
);
