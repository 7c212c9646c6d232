import { useId, useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Spinner } from '../../components/Spinner';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CostsView } from './CostsView';
import { IndexView } from './IndexView';
import { InspectorTabs } from './InspectorTabs';
import { itemKey } from './item-key';
import { KeySchemaLegend } from './KeySchemaLegend';
import { StreamFeed } from './StreamFeed';
import { TableView } from './TableView';
import { useCostEntries } from './use-cost-entries';
import { useStreamRecords } from './use-stream-records';
import { useTableSnapshot } from './use-table-snapshot';

type View = 'table' | 'index' | 'costs';

// Items touched by this many latest records light up for a moment.
const FRESH_RECORDS = 12;

/** A teaching tool: the single table, its GSI and its stream, live. */
export const InspectorPage = () => {
  useDocumentTitle('Table inspector');
  const filterId = useId();
  const [view, setView] = useState<View>('table');
  const [filter, setFilter] = useState('');
  const [openedAt] = useState(() => new Date().toISOString());
  const { snapshot, error, loading, refresh, refreshSoon } = useTableSnapshot();
  const { records, status } = useStreamRecords(refreshSoon);
  // Opened with the page, whichever tab shows: the totals are those since the page opened.
  const costs = useCostEntries(openedAt);

  // Only records since the page opened: the replay of older ones would light up everything.
  const freshKeys = useMemo(
    () =>
      new Set(
        records
          .filter((record) => record.at > openedAt)
          .slice(0, FRESH_RECORDS)
          .map((record) => itemKey(record.pk, record.sk)),
      ),
    [records, openedAt],
  );

  const trimmedFilter = filter.trim();
  return (
    <main className="inspector">
      <header className="inspector__intro">
        <h1>Table inspector</h1>
        <p className="muted">
          Everything the app stores is in one DynamoDB table. Send a message in another tab and
          watch the items change: the message, then pattern E moving both group rows.
        </p>
        <KeySchemaLegend />
      </header>
      <div className="inspector__layout">
        <div className="inspector__data">
          <div className="inspector__toolbar">
            <label htmlFor={filterId} className="visually-hidden">
              Filter items
            </label>
            <input
              id={filterId}
              type="search"
              className="inspector__filter"
              placeholder="Filter by any key or value, e.g. a uuid or a handle"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
            />
            <button type="button" className="button" onClick={refresh} disabled={loading}>
              {loading ? 'Scanning…' : 'Refresh'}
            </button>
          </div>
          {error && (
            <ErrorNotice>
              Could not scan the table: {error} (the inspector exists in local mode only).
            </ErrorNotice>
          )}
          {!snapshot && !error && <Spinner label="Scanning the table" />}
          {snapshot && (
            <InspectorTabs
              tabs={[
                { id: 'table', label: `Table · ${snapshot.items.length} items` },
                { id: 'index', label: `GSI · ${snapshot.indexRows.length} rows` },
                {
                  id: 'costs',
                  label: `Costs · ${costs.totals.actions} ${costs.totals.actions === 1 ? 'action' : 'actions'}`,
                },
              ]}
              selected={view}
              onSelect={setView}
            >
              {view === 'costs' ? (
                <CostsView entries={costs.entries} totals={costs.totals} status={costs.status} />
              ) : view === 'table' ? (
                <TableView items={snapshot.items} filter={trimmedFilter} freshKeys={freshKeys} />
              ) : (
                <IndexView
                  rows={snapshot.indexRows}
                  items={snapshot.items}
                  filter={trimmedFilter}
                  freshKeys={freshKeys}
                />
              )}
            </InspectorTabs>
          )}
        </div>
        <StreamFeed records={records} status={status} />
      </div>
    </main>
  );
};
