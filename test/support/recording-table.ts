import type { TablePort, WriteRequest } from '../../src/messaging/table-port.js';

/** `table`, keeping every write request it sends: what the cost model is applied to. */
export const recordingWrites = (table: TablePort): { table: TablePort; writes: WriteRequest[] } => {
  const writes: WriteRequest[] = [];
  return {
    writes,
    table: {
      tableName: table.tableName,
      get: (input) => table.get(input),
      query: (input) => table.query(input),
      scan: (input) => table.scan(input),
      write: (request) => {
        writes.push(request);
        return table.write(request);
      },
    },
  };
};
