import {
  type FormEvent,
  type KeyboardEvent,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { Icon } from '../../components/Icon';
import { readDraft, writeDraft } from './draft-store';
import { measureMessage } from './message-length';
import { useAutosize } from './use-autosize';
import './Composer.css';

interface ComposerProps {
  /** Names the field for screen readers and shows as placeholder: "Message Teo Vance". */
  label: string;
  /** Where the unsent text is kept: one draft per conversation. */
  draftKey: string;
  onSend: (text: string) => void;
  /** Called on every change of the text (the conversation tells the other person, throttled). */
  onTyping?: () => void;
  disabled?: boolean;
  /**
   * The id of what says why nothing can be sent here (a block): the box then keeps its text
   * but takes none, is announced as unavailable and is described by it; Send is disabled.
   */
  unavailableReasonId?: string;
  /** The text box, for a caller that moves the focus to it. */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}

// Focusing a field on a touch screen opens the keyboard over the conversation: only with a mouse.
const shouldAutoFocus = (): boolean => window.matchMedia('(pointer: fine)').matches;

/** Writes a message: Enter sends, Shift+Enter starts a new line. */
export const Composer = ({
  label,
  draftKey,
  onSend,
  onTyping,
  disabled = false,
  unavailableReasonId,
  inputRef,
}: ComposerProps) => {
  const id = useId();
  const ownTextarea = useRef<HTMLTextAreaElement>(null);
  const textarea = inputRef ?? ownTextarea;
  const [text, setText] = useState(() => readDraft(draftKey));
  const length = measureMessage(text);
  const unavailable = unavailableReasonId !== undefined;
  const canSend = !disabled && !unavailable && !length.blank && !length.tooLong;
  useAutosize(textarea, text);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the composer appears
  useEffect(() => {
    if (shouldAutoFocus()) textarea.current?.focus();
  }, []);

  const change = (value: string) => {
    setText(value);
    writeDraft(draftKey, value);
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim());
    change('');
    textarea.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method composes (Japanese, Chinese...), Enter confirms the word instead.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  const counterId = `${id}-counter`;
  const describedBy =
    [unavailableReasonId, length.showCounter ? counterId : undefined]
      .filter((part) => part !== undefined)
      .join(' ') || undefined;
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {label}
      </label>
      <textarea
        ref={textarea}
        id={`${id}-text`}
        className="composer__input"
        dir="auto"
        value={text}
        onChange={(event) => {
          change(event.target.value);
          if (event.target.value.trim() !== '') onTyping?.();
        }}
        onKeyDown={onKeyDown}
        placeholder={label}
        rows={1}
        aria-invalid={length.tooLong ? true : undefined}
        readOnly={unavailable}
        aria-disabled={unavailable || undefined}
        aria-describedby={describedBy}
        enterKeyHint="send"
      />
      {length.showCounter && (
        <span
          id={counterId}
          className={`composer__counter${length.tooLong ? ' is-over' : ''}`}
          data-testid="composer-counter"
          data-over={length.tooLong}
        >
          {length.length}/{length.max}
          <span className="visually-hidden">
            {length.tooLong
              ? ` characters: ${length.length - length.max} too many`
              : ' characters used'}
          </span>
        </span>
      )}
      <button type="submit" className="composer__send" disabled={!canSend} aria-label="Send">
        <Icon name="send" />
      </button>
    </form>
  );
};
