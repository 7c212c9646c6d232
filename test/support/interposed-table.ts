import type { TablePort } from '../../src/messaging/table-port.js';

/**
 * `table` with some of its calls taken over (a race from another tab, a slow answer, a fault
 * between DynamoDB and the core); the others go straight through.
 */
export const interposedTable = (
  table: TablePort,
  over: Partial<Pick<TablePort, 'get' | 'query' | 'scan' | 'write'>>,
): TablePort => ({
  tableName: table.tableName,
  get: over.get ?? ((input) => table.get(input)),
  query: over.query ?? ((input) => table.query(input)),
  scan: over.scan ?? ((input) => table.scan(input)),
  write: over.write ?? ((request) => table.write(request)),
});
