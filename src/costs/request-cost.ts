import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { TransactItem } from '../messaging/table-port.js';
import { toCapacityRecord } from '../store/capacity.js';
import { cancellationReasons, isConditionalCheckFailed } from '../store/dynamo-errors.js';
import { awsWriteUnitsByTarget, isGroupRowKey, type WriteUnits } from './cost-model.js';
import type { RequestCost } from './cost-schemas.js';

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

/** Requests DynamoDB charges capacity for; DescribeTable and the like cost nothing. */
export const isMetered = (operation: string): boolean =>
  READS.has(operation) || WRITES.has(operation);

/** The SDK's command name (`PutItemCommand`) as DynamoDB's operation (`PutItem`). */
export const operationOf = (commandName: string | undefined): string =>
  (commandName ?? '').replace(/Command$/, '');

type Input = Record<string, unknown> & {
  TableName?: string;
  IndexName?: string;
  TransactItems?: TransactItem[];
  RequestItems?: Record<
    string,
    { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]
  >;
};

type Output = Record<string, unknown> & {
  ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
  Item?: unknown;
  Items?: unknown[];
  Count?: number;
  ScannedCount?: number;
  Responses?: unknown;
  UnprocessedItems?: Record<string, unknown[]>;
};

/**
 * The items of a write as `awsWriteUnits` takes them. A BatchWriteItem is not a transaction:
 * each of its puts and deletes is charged as a lone PutItem or DeleteItem.
 */
const writeUnits = (operation: string, input: Input): WriteUnits => {
  if (operation === 'TransactWriteItems') return awsWriteUnitsByTarget(input.TransactItems ?? []);
  if (operation === 'BatchWriteItem') {
    const lone = Object.entries(input.RequestItems ?? {}).flatMap(([TableName, requests]) =>
      requests.map((request): TransactItem[] =>
        request.PutRequest
          ? [{ Put: { TableName, Item: request.PutRequest.Item as never } }]
          : [{ Delete: { TableName, Key: request.DeleteRequest?.Key as never } }],
      ),
    );
    return lone.reduce(
      (sum, items) => {
        const units = awsWriteUnitsByTarget(items);
        return { table: sum.table + units.table, index: sum.index + units.index };
      },
      { table: 0, index: 0 },
    );
  }
  const only: TransactItem =
    operation === 'PutItem'
      ? { Put: input as never }
      : operation === 'UpdateItem'
        ? { Update: input as never }
        : { Delete: input as never };
  return awsWriteUnitsByTarget([only]);
};

/** The owners whose group rows a write touches: pattern E moving a row deletes and puts it. */
const groupRowsOf = (operation: string, input: Input): number => {
  const keys =
    operation === 'TransactWriteItems'
      ? (input.TransactItems ?? []).map(
          (entry) => (entry.Put?.Item ?? entry.Update?.Key ?? entry.Delete?.Key) as object,
        )
      : operation === 'PutItem'
        ? [input.Item as object]
        : [input.Key as object];
  const owners = keys
    .filter((key) => isGroupRowKey(key as Record<string, unknown> | undefined))
    .map((key) => String((key as { pk: string }).pk));
  return new Set(owners).size;
};

const tableOf = (input: Input): string => {
  if (input.TableName) return input.TableName;
  const names = new Set<string>();
  for (const entry of input.TransactItems ?? []) {
    const part = entry.Put ?? entry.Update ?? entry.Delete ?? entry.ConditionCheck;
    if (part?.TableName) names.add(part.TableName);
  }
  for (const name of Object.keys(input.RequestItems ?? {})) names.add(name);
  return [...names].join(', ');
};

const countOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

const itemsRead = (operation: string, output: Output): number => {
  if (operation === 'GetItem') return output.Item ? 1 : 0;
  // What a Query or Scan read, before any filter: what it is charged for.
  if (operation === 'Query' || operation === 'Scan')
    return output.ScannedCount ?? output.Count ?? countOf(output.Items);
  if (operation === 'BatchGetItem')
    return Object.values((output.Responses ?? {}) as Record<string, unknown>).reduce(
      (sum: number, items) => sum + countOf(items),
      0,
    );
  return countOf(output.Responses);
};

const itemsWritten = (operation: string, input: Input, output: Output): number => {
  if (operation === 'TransactWriteItems')
    return (input.TransactItems ?? []).filter((entry) => !entry.ConditionCheck).length;
  if (operation === 'BatchWriteItem') {
    const sent = Object.values(input.RequestItems ?? {}).reduce((s, r) => s + r.length, 0);
    const left = Object.values(output.UnprocessedItems ?? {}).reduce((s, r) => s + r.length, 0);
    return sent - left;
  }
  return 1;
};

/**
 * AWS charges a GetItem, Query or Scan that finds nothing the minimum for its kind of read;
 * DynamoDB Local reports 0 for it.
 */
const minimumReadUnits = (operation: string, input: Input): number =>
  operation === 'GetItem' || operation === 'Query' || operation === 'Scan'
    ? input.ConsistentRead === true
      ? 1
      : 0.5
    : 0;

/** AWS charges a write whose condition failed, and a transaction cancelled by one. */
const isChargedFailure = (error: unknown): boolean =>
  isConditionalCheckFailed(error) ||
  (cancellationReasons(error) ?? []).some((r) => r.code === 'ConditionalCheckFailed');

/**
 * What one request costs by AWS's rules: reads as DynamoDB reported them (DynamoDB Local
 * gets them right, except a read that finds nothing: AWS's minimum is charged), writes computed from the items with the benchmark's cost model (Local
 * under-reports transactions and GSI writes). Updated and deleted items count as under
 * 1 KB, as in the benchmark: the middleware sees keys, not the stored items.
 */
export const requestCost = (
  operation: string,
  input: Input,
  outcome: { output: Output } | { error: unknown },
): RequestCost => {
  const base = {
    operation,
    table: tableOf(input),
    index: input.IndexName ?? null,
    items_read: 0,
    items_written: 0,
    rcu: 0,
    wcu: 0,
    gsi_wcu: 0,
    group_rows: 0,
    failed: 'error' in outcome,
  };
  if (READS.has(operation)) {
    if ('error' in outcome) return base;
    const { output } = outcome;
    const reported = toCapacityRecord(operation, 'read', output.ConsumedCapacity);
    return {
      ...base,
      items_read: itemsRead(operation, output),
      rcu: Math.max(reported.readCapacityUnits, minimumReadUnits(operation, input)),
    };
  }
  if ('error' in outcome && !isChargedFailure(outcome.error)) return base;
  const units = writeUnits(operation, input);
  return {
    ...base,
    items_written: 'output' in outcome ? itemsWritten(operation, input, outcome.output) : 0,
    wcu: units.table + units.index,
    gsi_wcu: units.index,
    group_rows:
      'output' in outcome && operation !== 'BatchWriteItem' ? groupRowsOf(operation, input) : 0,
  };
};
