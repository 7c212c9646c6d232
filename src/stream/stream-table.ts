import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '../store/dynamo-table.js';

/**
 * How long pattern E keeps trying a write DynamoDB refused for throughput: 40 s, under the
 * stream function's 1-minute timeout with room for the push after it. A partition takes at
 * most 1,000 WCU a second, and a hot inbox (thousands of conversations writing to one
 * `GRP#<owner>`) reaches it at about 250 messages a second. Failing there, as an API request
 * should, made the batch be retried and finally dead-lettered, its rows never moved
 * (`npm run bench:hot-inbox`); waiting slows the shard down instead, which is what
 * DynamoDB asks for, and every row converges.
 */
export const STREAM_THROTTLE_BUDGET_MS = 40_000;

/** The table as the stream consumer uses it, deployed and local alike. */
export const streamTable = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { onThrottled?: (waitMs: number) => void } = {},
): DynamoTable =>
  new DynamoTable(doc, {
    tableName,
    throttleBudgetMs: STREAM_THROTTLE_BUDGET_MS,
    onThrottled: options.onThrottled,
  });
