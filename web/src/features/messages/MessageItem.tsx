import { Icon } from '../../components/Icon';
import { formatClockTime, formatFullDateTime } from '../../lib/format-time';
import { MessageText } from './MessageText';
import type { TimelineMessage } from './timeline';

interface MessageItemProps {
  entry: TimelineMessage;
  /** The other participant has read this message (my newest they have): "Seen", by whom. */
  seenBy: string | null;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
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

export const MessageItem = ({ entry, seenBy, onRetry, onDiscard }: MessageItemProps) => {
  const failed = entry.pending?.status === 'failed' ? entry.pending : null;
  const status = entry.pending?.status ?? 'sent';
  return (
    <li
      className={`message ${entry.mine ? 'message--mine' : 'message--theirs'}${
        entry.startsRun ? ' starts-run' : ''
      }`}
      data-key={entry.key}
      data-testid="message"
      data-message-uuid={entry.uuid ?? undefined}
      data-status={status}
    >
      {entry.startsRun && (
        <span className="message__sender" dir="auto">
          {entry.mine ? 'You' : entry.sender.display_name}
        </span>
      )}
      <div className="message__bubble">
        <MessageText text={entry.text} />
        <span className="message__meta">
          <time dateTime={entry.createdAt} title={formatFullDateTime(entry.createdAt)}>
            {formatClockTime(entry.createdAt)}
          </time>
          <MessageStatus entry={entry} />
        </span>
      </div>
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
