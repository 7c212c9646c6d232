import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { formatClockTime, formatFullDateTime } from '../../lib/format-time';
import { useEditWindowSeconds } from '../../lib/live-events';
import { EditForm, UnsendDialog, withinEditWindow } from './MessageActions';
import { MessageMenu, type MessageMenuItem } from './MessageMenu';
import { MessageText } from './MessageText';
import type { TimelineMessage } from './timeline';

interface MessageItemProps {
  entry: TimelineMessage;
  /** The other participant has read this message (my newest they have): "Seen", by whom. */
  seenBy: string | null;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
  /** Edits my confirmed message; rejects with the API's error. */
  onEdit: (messageUuid: string, text: string) => Promise<void>;
  /** Unsends my confirmed message; rejects with the API's error. */
  onUnsend: (messageUuid: string) => Promise<void>;
}

const MessageStatus = ({ entry }: { entry: TimelineMessage }) => {
  if (!entry.mine) return null;
  if (entry.pending?.status === 'sending') {
    return (
      <span className="message__status" title="Sending">
        <Icon name="clock" size={12} />
        <span className="visually-hidden">Sending</span>
      </span>
    );
  }
  if (entry.pending) return null; // failed: said in full below the bubble
  return (
    <span className="message__status" title="Sent">
      <Icon name="check" size={12} />
      <span className="visually-hidden">Sent</span>
    </span>
  );
};

const Edited = ({ at }: { at: string }) => (
  <span className="message__edited" title={`Edited ${formatFullDateTime(at)}`}>
    edited<span className="visually-hidden"> {formatFullDateTime(at)}</span>
  </span>
);

export const MessageItem = ({
  entry,
  seenBy,
  onRetry,
  onDiscard,
  onEdit,
  onUnsend,
}: MessageItemProps) => {
  const failed = entry.pending?.status === 'failed' ? entry.pending : null;
  const status = entry.pending?.status ?? 'sent';
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const editWindowSeconds = useEditWindowSeconds();
  const menuButton = useRef<HTMLButtonElement>(null);
  const uuid = entry.uuid;
  // My confirmed messages only: pending ones have nothing to change yet, tombstones nothing left.
  const hasMenu = entry.mine && uuid !== null && entry.pending === null && !entry.deleted;
  const menuItems = (): MessageMenuItem[] => [
    ...(withinEditWindow(entry.createdAt, editWindowSeconds)
      ? [{ label: 'Edit', onSelect: () => setEditing(true) }]
      : []),
    { label: 'Unsend', onSelect: () => setConfirming(true) },
  ];
  const refocusMenu = useRef(false);
  const endEdit = () => {
    refocusMenu.current = true;
    setEditing(false);
  };
  // The menu button comes back with the text: focus it once it is there (not in an animation
  // frame, which a tab in the background may not get for a long time).
  useEffect(() => {
    if (editing || !refocusMenu.current) return;
    refocusMenu.current = false;
    menuButton.current?.focus();
  }, [editing]);
  return (
    <li
      className={`message ${entry.mine ? 'message--mine' : 'message--theirs'}${
        entry.startsRun ? ' starts-run' : ''
      }`}
      data-key={entry.key}
      data-testid="message"
      data-message-uuid={entry.uuid ?? undefined}
      data-status={status}
      data-deleted={entry.deleted || undefined}
    >
      {entry.startsRun && (
        <span className="message__sender" dir="auto">
          {entry.mine ? 'You' : entry.sender.display_name}
        </span>
      )}
      <div className="message__row">
        {hasMenu && !editing && <MessageMenu items={menuItems} buttonRef={menuButton} />}
        <div className={`message__bubble${entry.deleted ? ' message__bubble--unsent' : ''}`}>
          {entry.deleted ? (
            <p className="message__text message__unsent">Message unsent</p>
          ) : editing && uuid !== null ? (
            <EditForm text={entry.text} onSave={(text) => onEdit(uuid, text)} onDone={endEdit} />
          ) : (
            <MessageText text={entry.text} />
          )}
          <span className="message__meta">
            {entry.editedAt !== null && !editing && <Edited at={entry.editedAt} />}
            <time dateTime={entry.createdAt} title={formatFullDateTime(entry.createdAt)}>
              {formatClockTime(entry.createdAt)}
            </time>
            <MessageStatus entry={entry} />
          </span>
        </div>
      </div>
      {confirming && uuid !== null && (
        <UnsendDialog
          onUnsend={() => onUnsend(uuid)}
          onClose={() => setConfirming(false)}
          returnFocus={menuButton}
        />
      )}
      {seenBy !== null && (
        <span className="message__seen" data-testid="seen">
          Seen<span className="visually-hidden"> by {seenBy}</span>
        </span>
      )}
      {failed && (
        <div className="message__failure" role="alert">
          <span>Failed to send{failed.error ? `: ${failed.error}` : ''}</span>
          {failed.retryable && (
            <button
              type="button"
              className="link-button"
              onClick={() => onRetry(failed.clientMessageId)}
            >
              Retry
            </button>
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => onDiscard(failed.clientMessageId)}
          >
            Discard
          </button>
        </div>
      )}
    </li>
  );
};
