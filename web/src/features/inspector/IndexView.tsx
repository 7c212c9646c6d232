import { useMemo } from 'react';
import { handlesByUserUuid, matchesFilter, partitionsOf, stringAttribute } from './group-items';
import type { TableItem } from './inspector-api';
import { keyOfItem } from './item-key';
import { GSI_HASH_ATTRIBUTE, GSI_NAME } from './key-schema';

interface IndexViewProps {
  rows: readonly TableItem[];
  /** The table's items, to name the owner of each GRP# row. */
  items: readonly TableItem[];
  filter: string;
  freshKeys: ReadonlySet<string>;
}

/**
 * The GSI as DynamoDB keeps it: partitioned by message_group_uuid, sorted by sk. Sparse:
 * only message-group rows carry the attribute, so a conversation's partition holds exactly
 * its two group rows (pattern E finds them with one Query).
 */
export const IndexView = ({ rows, items, filter, freshKeys }: IndexViewProps) => {
  const handles = useMemo(() => handlesByUserUuid(items), [items]);
  const partitions = useMemo(
    () =>
      partitionsOf(
        rows.filter((row) => matchesFilter(row, filter)),
        GSI_HASH_ATTRIBUTE,
      ),
    [rows, filter],
  );
  if (partitions.length === 0) {
    return (
      <p className="empty-state">{filter ? 'No row matches the filter.' : 'The index is empty.'}</p>
    );
  }
  return (
    <div className="index-view">
      <p className="entity-section__purpose">
        <code>{GSI_NAME}</code>: {partitions.length}{' '}
        {partitions.length === 1 ? 'conversation' : 'conversations'}, {rows.length} rows. Only
        message-group rows have <code>{GSI_HASH_ATTRIBUTE}</code>, so the index is sparse.
      </p>
      {partitions.map((partition) => (
        <div className="partition" key={partition.key} data-testid="index-partition">
          <div className="partition__header">
            <span className="key-badge key-badge--gsi" title="Partition key of the GSI">
              {GSI_HASH_ATTRIBUTE}
            </span>
            <code className="partition__pk">{partition.key}</code>
            {partition.items.length !== 2 && !filter && (
              <span className="warning-text">
                {partition.items.length} rows: a conversation should have exactly 2
              </span>
            )}
          </div>
          <table className="items-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="key-badge key-badge--sk" title="Sort key of the GSI">
                    sk
                  </span>
                </th>
                <th scope="col">table pk (owner)</th>
                <th scope="col">other participant</th>
                <th scope="col">message (preview)</th>
              </tr>
            </thead>
            <tbody>
              {partition.items.map((row) => {
                const pk = stringAttribute(row, 'pk');
                const owner = handles.get(pk.replace(/^GRP#/, ''));
                return (
                  <tr
                    key={keyOfItem(row)}
                    className={freshKeys.has(keyOfItem(row)) ? 'is-fresh' : undefined}
                  >
                    <td>
                      <code className="sort-key">{stringAttribute(row, 'sk')}</code>
                    </td>
                    <td>
                      <code>{pk}</code>
                      {owner && <div className="muted">@{owner}</div>}
                    </td>
                    <td>@{stringAttribute(row, 'user_handle')}</td>
                    <td className="items-table__preview">{stringAttribute(row, 'message')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
};
