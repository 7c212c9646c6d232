import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The event-source mapping's filter: only INSERTs of message items reach the handler. The
 * CDK stack deploys this very pattern (FilterCriteria), and the local poller applies it the
 * same way. Filters save invocations; they are not a guarantee, so the handler checks again.
 */
export const MESSAGE_INSERT_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { item_type: { S: ['message'] } } },
} as const;

type Pattern = { readonly [key: string]: Pattern | readonly (string | number | boolean)[] };

/**
 * The subset of Lambda's event-filtering syntax our filters use: nested objects, and arrays
 * of exact values (a field matches when its value equals any of them).
 */
export const matchesFilter = (event: unknown, pattern: Pattern): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const value =
      typeof event === 'object' && event !== null
        ? (event as Record<string, unknown>)[key]
        : undefined;
    if (Array.isArray(expected)) return expected.includes(value as string | number | boolean);
    return matchesFilter(value, expected as Pattern);
  });

export const isMessageInsert = (record: DynamoDBRecord): boolean =>
  matchesFilter(record, MESSAGE_INSERT_FILTER);
