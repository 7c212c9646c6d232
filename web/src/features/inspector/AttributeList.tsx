import type { TableItem } from './inspector-api';
import { GSI_HASH_ATTRIBUTE } from './key-schema';

// The key attributes have their own columns.
const SHOWN_ELSEWHERE = new Set(['pk', 'sk', 'item_type']);

const display = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** Every other attribute of an item, as name = value, the GSI key marked. */
export const AttributeList = ({ item }: { item: TableItem }) => (
  <dl className="attributes">
    {Object.entries(item)
      .filter(([name]) => !SHOWN_ELSEWHERE.has(name))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => (
        <div
          key={name}
          className={`attributes__pair${name === GSI_HASH_ATTRIBUTE ? ' is-gsi-key' : ''}`}
        >
          <dt>
            {name}
            {name === GSI_HASH_ATTRIBUTE && (
              <span className="key-badge key-badge--gsi" title="Partition key of the GSI">
                GSI pk
              </span>
            )}
          </dt>
          <dd>{display(value)}</dd>
        </div>
      ))}
  </dl>
);
