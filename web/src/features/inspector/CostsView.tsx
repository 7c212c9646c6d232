import type { CostEntry } from '../../lib/api-types';
import type { StreamStatus } from '../../lib/event-stream';
import {
  type CostTotals,
  capacityText,
  entryKey,
  formatUsd,
  perMillionActions,
  plural,
  sentenceOf,
  units,
} from './cost-entries';
import { KEEP_ENTRIES } from './use-cost-entries';

const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'connecting…',
  open: 'recording',
  reconnecting: 'reconnecting…',
  polling: 'not available here',
};

const REQUEST_COLUMNS = ['Request', 'Items', 'RCU', 'WCU'];

const RequestRows = ({ entry }: { entry: CostEntry }) => (
  <details className="cost-entry__requests">
    <summary>{plural(entry.requests.length, 'DynamoDB request')}</summary>
    <table className="cost-requests">
      <caption className="visually-hidden">DynamoDB requests of: {sentenceOf(entry)}</caption>
      <thead>
        <tr>
          {REQUEST_COLUMNS.map((column) => (
            <th key={column} scope="col" className="cost-requests__head">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entry.requests.map((request, index) => (
          // A request has no identity of its own; its place in the entry never changes.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <tr key={index}>
            <th scope="row" className="cost-requests__operation">
              <code>{request.operation}</code>
              {request.index && (
                <>
                  {' '}
                  on <code>{request.index}</code>
                </>
              )}
              {request.failed && <span className="warning-text"> condition failed</span>}
            </th>
            <td>
              {request.items_written > 0
                ? `${request.items_written} written`
                : `${request.items_read} read`}
            </td>
            <td>{units(request.rcu)}</td>
            <td>
              {units(request.wcu)}
              {request.gsi_wcu > 0 && (
                <span className="muted"> ({units(request.gsi_wcu)} GSI)</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </details>
);

/**
 * What each action costs in DynamoDB, as it happens: the cost ledger's entries since the
 * page opened, their totals, and what a million actions of this mix would cost.
 */
export const CostsView = ({
  entries,
  totals,
  status,
}: {
  entries: CostEntry[];
  totals: CostTotals;
  status: StreamStatus;
}) => {
  const [latest] = entries;
  return (
    <section className="costs" aria-labelledby="costs-title" data-testid="costs-view">
      <header className="costs__header">
        <h2 id="costs-title">What each action costs</h2>
        <span className={`live-status live-status--${status}`} data-testid="costs-status">
          {STATUS_TEXT[status]}
        </span>
      </header>
      <p className="entity-section__purpose">
        Every DynamoDB request the app makes while this page is open, by what caused it: reads as
        DynamoDB reports them, writes by AWS&apos;s rules (a transaction costs 2 WCU per item of up
        to 1 KB; writing a group row also writes the GSI), priced on-demand in us-east-1. The
        inspector&apos;s own scans are not counted.
      </p>

      <h3 className="costs__subtitle">Since this page opened</h3>
      <dl className="cost-totals" data-testid="cost-totals">
        <div>
          <dt>Actions</dt>
          <dd>{totals.actions}</dd>
        </div>
        <div>
          <dt>DynamoDB requests</dt>
          <dd>{totals.requests}</dd>
        </div>
        <div>
          <dt>Capacity</dt>
          <dd>{capacityText(totals)}</dd>
        </div>
        <div>
          <dt>On-demand cost</dt>
          <dd>{formatUsd(totals.usd)}</dd>
        </div>
      </dl>
      <p className="cost-projection" data-testid="cost-projection">
        {totals.actions === 0 ? (
          'Do something in the app in another tab: each action appears here as it happens.'
        ) : (
          <>
            At this mix, 1 million such actions cost{' '}
            <strong>{formatUsd(perMillionActions(totals))}</strong> on on-demand.
          </>
        )}
      </p>

      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {latest ? sentenceOf(latest) : ''}
      </div>

      <h3 className="costs__subtitle">Actions, newest first</h3>
      {entries.length === 0 ? (
        <p className="empty-state">Nothing yet.</p>
      ) : (
        <ol className="cost-entries" aria-label={`Actions, the last ${KEEP_ENTRIES}`}>
          {entries.map((entry) => (
            <li
              key={entryKey(entry)}
              className="cost-entry"
              data-testid="cost-entry"
              data-source={entry.source}
            >
              <div className="cost-entry__line">
                <span className="cost-entry__sentence">{sentenceOf(entry)}</span>
                <time className="muted" dateTime={entry.at}>
                  {clock.format(new Date(entry.at))}
                </time>
              </div>
              <div className="muted cost-entry__source">
                <code>{entry.source}</code>
                {entry.records !== undefined && `, ${plural(entry.records, 'record')}`} ·{' '}
                {formatUsd(entry.usd)}
              </div>
              <RequestRows entry={entry} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
