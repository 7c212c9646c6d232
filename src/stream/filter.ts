import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The event-source mapping's filters (a record passes if it matches any): INSERTs of message
 * items (pattern E and the push), and MODIFYs of messages (an edit or unsend: previews follow)
 * and of group rows (a read mark moved a position: the `read` push). The CDK stack deploys these very patterns (FilterCriteria), and the local
 * poller applies them the same way. Filters save invocations; they are not a guarantee, so
 * the handler checks again. Nothing else passes: profiles, handles, people-search items,
 * pairs, conversations, claims, connections and blocks, whatever the event.
 */
export const MESSAGE_INSERT_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { item_type: { S: ['message'] } } },
} as const;

export const MODIFY_FILTER = {
  eventName: ['MODIFY'],
  dynamodb: { NewImage: { item_type: { S: ['message', 'message_group'] } } },
} as const;

export const STREAM_FILTERS = [MESSAGE_INSERT_FILTER, MODIFY_FILTER] as const;

const GROUP_ROW_MODIFY = {
  eventName: ['MODIFY'],
  dynamodb: { NewImage: { item_type: { S: ['message_group'] } } },
} as const;

const MESSAGE_MODIFY = {
  eventName: ['MODIFY'],
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

export const isGroupRowModify = (record: DynamoDBRecord): boolean =>
  matchesFilter(record, GROUP_ROW_MODIFY);

export const isMessageModify = (record: DynamoDBRecord): boolean =>
  matchesFilter(record, MESSAGE_MODIFY);

/** What the mapping hands to the handler. */
export const passesStreamFilters = (record: DynamoDBRecord): boolean =>
  STREAM_FILTERS.some((filter) => matchesFilter(record, filter));
