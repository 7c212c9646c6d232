import { GSI_HASH_ATTRIBUTE, GSI_NAME } from './key-schema';

/** The key schema at a glance: what every other part of the page is organised by. */
export const KeySchemaLegend = () => (
  <dl className="key-schema">
    <div className="key-schema__entry">
      <dt>Table</dt>
      <dd>
        <span className="key-badge key-badge--pk">pk</span> partition key (HASH, string) ·{' '}
        <span className="key-badge key-badge--sk">sk</span> sort key (RANGE, string). Items with the
        same pk form a partition, kept sorted by sk.
      </dd>
    </div>
    <div className="key-schema__entry">
      <dt>GSI</dt>
      <dd>
        <code>{GSI_NAME}</code>:{' '}
        <span className="key-badge key-badge--gsi">{GSI_HASH_ATTRIBUTE}</span> (HASH) ·{' '}
        <span className="key-badge key-badge--sk">sk</span> (RANGE), projection ALL.
      </dd>
    </div>
  </dl>
);
