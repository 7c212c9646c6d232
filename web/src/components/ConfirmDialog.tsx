import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../lib/api-error';

interface ConfirmDialogProps {
  /** The question, which names the dialog: "Unsend this message?". */
  title: string;
  /** What confirming does, which describes the dialog. */
  description: ReactNode;
  /** The confirming button's text: "Unsend". */
  confirmLabel: string;
  /** Said before the API's error when `onConfirm` rejects: "Could not unsend the message." */
  failure: string;
  onConfirm: () => Promise<void>;
  /** Closed, confirmed (and done) or not. */
  onClose: (confirmed: boolean) => void;
  /** Focused again when the dialog goes away: what opened it. */
  returnFocus: RefObject<HTMLElement | null>;
}

/**
 * A modal confirmation of something done at once (native <dialog>: focus kept inside, Escape
 * cancels). Cancel has the focus first; a failure is said in the dialog, which stays open.
 */
export const ConfirmDialog = ({
  title,
  description,
  confirmLabel,
  failure,
  onConfirm,
  onClose,
  returnFocus,
}: ConfirmDialogProps) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    const focusBack = returnFocus.current;
    return () => {
      if (element.open) element.close();
      if (focusBack?.isConnected) focusBack.focus();
    };
  }, [returnFocus]);

  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().then(
      () => onClose(true),
      (reason: unknown) => {
        setBusy(false);
        setError(`${failure} ${describeError(reason)}`);
      },
    );
  };

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      onCancel={(event) => {
        event.preventDefault();
        onClose(false);
      }}
    >
      <h2 id={`${id}-title`} className="confirm-dialog__title">
        {title}
      </h2>
      <p id={`${id}-description`}>{description}</p>
      {error && (
        <p className="confirm-dialog__error" role="alert">
          {error}
        </p>
      )}
      <div className="confirm-dialog__actions">
        <button ref={cancel} type="button" className="button" onClick={() => onClose(false)}>
          Cancel
        </button>
        <button type="button" className="button button--danger" disabled={busy} onClick={confirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
};
