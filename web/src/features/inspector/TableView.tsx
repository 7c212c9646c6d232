import { useMemo } from 'react';
import { handlesByUserUuid, matchesFilter, sectionsOf } from './group-items';
import type { TableItem } from './inspector-api';
import { PartitionTable } from './PartitionTable';
import { partitionNote } from './partition-note';

interface TableViewProps {
  items: readonly TableItem[];
  filter: string;
  freshKeys: ReadonlySet<string>;
}

/** The single table, by kind of item, then partition, then sort key. */
export const TableView = ({ items, filter, freshKeys }: TableViewProps) => {
  const handles = useMemo(() => handlesByUserUuid(items), [items]);
  const sections = useMemo(
    () => sectionsOf(items.filter((item) => matchesFilter(item, filter))),
    [items, filter],
  );
  if (sections.length === 0) {
    return (
      <p className="empty-state">
        {filter ? 'No item matches the filter.' : 'The table is empty.'}
      </p>
    );
  }
  return (
    <div className="table-view">
      {sections.map((section) => (
        <section
          key={section.prefix}
          className="entity-section"
          aria-labelledby={`section-${section.prefix}`}
        >
          {/* h2: the sections come right after the page's h1 (h3 skipped a level). */}
          <h2 id={`section-${section.prefix}`} className="entity-section__title">
            <code>{section.prefix}#…</code> {section.title}
            <span className="muted">
              {' '}
              · {section.partitions.length}{' '}
              {section.partitions.length === 1 ? 'partition' : 'partitions'}, {section.itemCount}{' '}
              {section.itemCount === 1 ? 'item' : 'items'}
            </span>
          </h2>
          <p className="entity-section__purpose">{section.purpose}</p>
          {section.partitions.map((partition) => (
            <PartitionTable
              key={partition.key}
              partition={partition}
              owner={partitionNote(partition, handles)}
              freshKeys={freshKeys}
            />
          ))}
        </section>
      ))}
    </div>
  );
};
