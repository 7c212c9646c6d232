import { useState } from 'react';
import { AttributeList } from './AttributeList';
import { type Partition, stringAttribute } from './group-items';
import { keyOfItem } from './item-key';

// Large partitions (a long conversation) show their newest items; the rest on request.
const COLLAPSED_ROWS = 5;

interface PartitionTableProps {
  partition: Partition;
  /** A note after the pk, e.g. whose GRP# partition it is. */
  owner?: string | undefined;
  freshKeys: ReadonlySet<string>;
}

/** One partition: its pk once, then its items in sort-key order. */
export const PartitionTable = ({ partition, owner, freshKeys }: PartitionTableProps) => {
  const [expanded, setExpanded] = useState(false);
  const hidden = expanded ? 0 : Math.max(0, partition.items.length - COLLAPSED_ROWS);
  const shown = partition.items.slice(hidden);
  return (
    <div className="partition" data-testid="partition" data-pk={partition.key}>
      <div className="partition__header">
        <span className="key-badge key-badge--pk" title="Partition key (HASH)">
          pk
        </span>
        <code className="partition__pk">{partition.key}</code>
        {owner && <span className="muted">{owner}</span>}
        <span className="partition__count muted">
          {partition.items.length === 1 ? '1 item' : `${partition.items.length} items`}
        </span>
      </div>
      {hidden > 0 && (
        <button
          type="button"
          className="link-button partition__more"
          onClick={() => setExpanded(true)}
        >
          Show {hidden} earlier {hidden === 1 ? 'item' : 'items'}
        </button>
      )}
      <table className="items-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="key-badge key-badge--sk" title="Sort key (RANGE)">
                sk
              </span>
            </th>
            <th scope="col">item_type</th>
            <th scope="col">attributes</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((item) => {
            const key = keyOfItem(item);
            return (
              <tr key={key} className={freshKeys.has(key) ? 'is-fresh' : undefined}>
                <td>
                  <code className="sort-key">{stringAttribute(item, 'sk')}</code>
                </td>
                <td>
                  <span className="item-type">{stringAttribute(item, 'item_type')}</span>
                </td>
                <td>
                  <AttributeList item={item} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
};
