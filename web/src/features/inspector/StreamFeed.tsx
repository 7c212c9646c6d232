import type { StreamStatus } from '../../lib/event-stream';
import type { StreamRecord } from './inspector-api';
import { KEEP_RECORDS, recordKey } from './use-stream-records';

const clockWithMillis = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
});

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  polling: 'not available here',
};

/** DynamoDB Streams as the consumer sees it: each record, and what pattern E did with it. */
export const StreamFeed = ({
  records,
  status,
}: {
  records: StreamRecord[];
  status: StreamStatus;
}) => (
  <section className="stream-feed" aria-labelledby="stream-feed-title">
    <header className="stream-feed__header">
      <h2 id="stream-feed-title">Stream records</h2>
      <span className={`live-status live-status--${status}`}>{STATUS_TEXT[status]}</span>
    </header>
    <p className="muted stream-feed__note">
      Newest first, the last {KEEP_RECORDS}. <strong>applied</strong>: pattern E moved the group
      rows; <strong>skipped</strong>: nothing to do (not a new message, or already current);{' '}
      <strong>failed</strong>: retried, then dead-lettered.
    </p>
    {records.length === 0 ? (
      <p className="empty-state">No records yet. Send a message and watch them arrive.</p>
    ) : (
      <ol
        className="stream-feed__records"
        data-testid="stream-records"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled with the keyboard
        tabIndex={0}
        aria-labelledby="stream-feed-title"
      >
        {records.map((record) => (
          <li
            key={recordKey(record)}
            className={`stream-record stream-record--${record.outcome}`}
            data-testid="stream-record"
            data-outcome={record.outcome}
          >
            <div className="stream-record__line">
              <span className={`outcome-badge outcome-badge--${record.outcome}`}>
                {record.outcome}
              </span>
              <span className="event-name">{record.event_name}</span>
              {record.item_type && <span className="item-type">{record.item_type}</span>}
              <time className="muted stream-record__time" dateTime={record.at}>
                {clockWithMillis.format(new Date(record.at))}
              </time>
            </div>
            <div className="stream-record__key">
              <span className="key-badge key-badge--pk">pk</span> <code>{record.pk ?? '—'}</code>
            </div>
            <div className="stream-record__key">
              <span className="key-badge key-badge--sk">sk</span> <code>{record.sk ?? '—'}</code>
            </div>
            {record.reason && (
              <div className="stream-record__reason">{record.reason.replaceAll('_', ' ')}</div>
            )}
            {record.error && <div className="stream-record__error">{record.error}</div>}
          </li>
        ))}
      </ol>
    )}
  </section>
);
