import type { ApiClient } from '../../lib/api-client';

/** A raw DynamoDB item as the inspector API returns it: pk, sk, item_type and the rest. */
export type TableItem = Record<string, unknown>;

/** One stream record and what the stream handler (pattern E) did with it. */
export interface StreamRecord {
  at: string;
  sequence_number: string;
  event_name: 'INSERT' | 'MODIFY' | 'REMOVE' | string;
  pk?: string;
  sk?: string;
  item_type?: string;
  outcome: 'applied' | 'skipped' | 'failed' | 'read' | 'updated';
  reason?: string;
  error?: string;
}

/** Local mode only (src/api/routes/inspect.ts): a Scan of the whole table. */
export const fetchTableItems = async (api: ApiClient, signal?: AbortSignal): Promise<TableItem[]> =>
  (await api.get<{ items: TableItem[] }>('/api/inspect/items', signal)).items;

/** A Scan of the GSI message-group-sk-index. */
export const fetchIndexRows = async (api: ApiClient, signal?: AbortSignal): Promise<TableItem[]> =>
  (await api.get<{ items: TableItem[] }>('/api/inspect/index', signal)).items;

/** Server-Sent Events, no token needed: the stream is the same for every viewer. */
export const STREAM_URL = '/api/inspect/stream';

export const isStreamRecord = (data: unknown): data is StreamRecord => {
  const record = data as Partial<StreamRecord> | null;
  return typeof record?.sequence_number === 'string' && typeof record.outcome === 'string';
};
