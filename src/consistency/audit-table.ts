import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { type CapacityListener, toCapacityRecord } from '../store/capacity.js';
import { InvariantChecker, type InvariantReport } from './invariant-checker.js';

export interface AuditOptions {
  tableName: string;
  /** Parallel Scan segments: a large table is read faster by several readers. */
  segments?: number;
  onCapacity?: CapacityListener;
  /** Called after every page with the items read so far. */
  onProgress?: (itemsRead: number) => void;
}

/**
 * Reads a whole table with strongly consistent Scans and checks it. Consistent reads see
 * every write acknowledged before the Scan reached its key; a table still taking writes can
 * show group rows briefly behind (pattern E is asynchronous), so audit a quiet table.
 */
export const auditTable = async (
  doc: DynamoDBDocumentClient,
  options: AuditOptions,
): Promise<InvariantReport> => {
  const checker = new InvariantChecker();
  const segments = options.segments ?? 1;
  let itemsRead = 0;
  const readSegment = async (segment: number) => {
    const pages = paginateScan(
      { client: doc },
      {
        TableName: options.tableName,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
        ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
      },
    );
    for await (const page of pages) {
      options.onCapacity?.(toCapacityRecord('Scan', 'read', page.ConsumedCapacity));
      checker.addAll(page.Items ?? []);
      itemsRead += page.Items?.length ?? 0;
      options.onProgress?.(itemsRead);
    }
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => readSegment(segment)));
  return checker.report();
};
