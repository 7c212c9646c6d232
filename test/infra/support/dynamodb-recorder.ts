import { startCrashPointProxy } from '../../support/crash-point-proxy.js';

/** One IAM authorization a DynamoDB request needs: the action, on the table or one index. */
export interface DynamoAuthorization {
  /** The IAM action, e.g. `dynamodb:UpdateItem`. */
  action: string;
  table: string;
  /** The index the request reads, when it reads one. */
  index?: string;
}

/** One request as the recorder saw it: the API operation and what IAM checks for it. */
export interface RecordedRequest {
  /** The operation of `X-Amz-Target`, e.g. `TransactWriteItems`. */
  operation: string;
  authorizations: DynamoAuthorization[];
}

type Body = Record<string, unknown>;

const onTable = (action: string, body: Body): DynamoAuthorization => ({
  action: `dynamodb:${action}`,
  table: String(body.TableName),
  ...(typeof body.IndexName === 'string' ? { index: body.IndexName } : {}),
});

/** A transaction's or a batch's parts, each with its own table: (kind, part). */
const TRANSACT_WRITE_KINDS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/**
 * What IAM authorizes for a request (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html):
 * TransactWriteItems and TransactGetItems have no action of their own, each of their items is
 * authorized as the single-item action of its kind on its table; a batch needs its own action
 * on each table it names; anything else, its own action on its table (or index).
 */
export const authorizationsOf = (operation: string, body: Body): DynamoAuthorization[] => {
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((body.TransactItems as Body[] | undefined) ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, part]) => {
        const action = operation === 'TransactGetItems' ? 'GetItem' : TRANSACT_WRITE_KINDS[kind];
        if (!action) throw new Error(`a ${operation} item of an unknown kind: ${kind}`);
        return onTable(action, part as Body);
      }),
    );
  }
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    return Object.keys((body.RequestItems as Body | undefined) ?? {}).map((table) => ({
      action: `dynamodb:${operation}`,
      table,
    }));
  }
  return [onTable(operation, body)];
};

export interface DynamoRecorder {
  /** Where to point the SDK (AWS_ENDPOINT_URL_DYNAMODB): every request is passed on. */
  endpoint: string;
  /** Every request passed on so far, in order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A recording proxy in front of DynamoDB Local at `target` (the crash tests' proxy, which
 * never holds a call here): each request is passed on as is, and its answer comes back
 * unchanged (its CRC32 header still matches).
 */
export const startDynamoRecorder = async (target: string): Promise<DynamoRecorder> => {
  const proxy = await startCrashPointProxy(target);
  return {
    endpoint: proxy.url,
    get requests() {
      // A request without X-Amz-Target is no DynamoDB operation (none is expected).
      return proxy.calls
        .filter(({ operation }) => operation !== '')
        .map(({ operation, body }) => ({
          operation,
          authorizations: authorizationsOf(operation, body),
        }));
    },
    close: () => proxy.close(),
  };
};
