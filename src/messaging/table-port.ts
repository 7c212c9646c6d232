/**
 * What the core needs from DynamoDB, in the document client's own request shapes. The core
 * builds the requests (pure functions in requests/); src/store/ sends them and turns
 * DynamoDB's condition failures into the domain errors a request explains.
 */
import type {
  GetCommandInput,
  QueryCommandInput,
  ScanCommandInput,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { MessagingError } from './errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A conditional write of one or more items, all or nothing. */
export interface WriteRequest {
  items: TransactItem[];
  /**
   * Which domain error it is when the conditions of the items at these indexes failed.
   * Absent on a request without conditions, which cannot fail that way.
   */
  explain?: (failedIndexes: number[]) => MessagingError;
}

export interface QueryResult<T> {
  items: T[];
  /** Where a Query or Scan stopped (1 MB or its Limit); undefined at the end. */
  lastKey?: Record<string, unknown> | undefined;
}

export interface TablePort {
  readonly tableName: string;
  get<T>(input: GetCommandInput): Promise<T | undefined>;
  query<T>(input: QueryCommandInput): Promise<QueryResult<T>>;
  /** Whole-table reads are for dev tools only; no access pattern of the product scans. */
  scan<T>(input: ScanCommandInput): Promise<QueryResult<T>>;
  write(request: WriteRequest): Promise<void>;
}

/** Every page of a Query (each page at most 1 MB), in order. */
export const queryAll = async <T>(table: TablePort, input: QueryCommandInput): Promise<T[]> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.query<T>({ ...input, ExclusiveStartKey: start });
    items.push(...page.items);
    start = page.lastKey;
  } while (start);
  return items;
};
