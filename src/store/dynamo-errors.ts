import { StoreUnavailableError, WriteConflictError } from '../messaging/errors.js';

interface AwsErrorShape {
  name?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  code?: string;
  CancellationReasons?: { Code?: string }[];
}

const asAws = (error: unknown): AwsErrorShape =>
  typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {};

export const isConditionalCheckFailed = (error: unknown): boolean =>
  asAws(error).name === 'ConditionalCheckFailedException';

/** The indexes of a cancelled transaction's items, grouped by why each was cancelled. */
export const cancellationReasons = (
  error: unknown,
): { code: string; index: number }[] | undefined => {
  const aws = asAws(error);
  if (aws.name !== 'TransactionCanceledException') return undefined;
  return (aws.CancellationReasons ?? []).map((reason, index) => ({
    code: reason.Code ?? 'None',
    index,
  }));
};

const RETRYABLE_CANCELLATIONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** A collision with a concurrent transaction (or throttling): the same request may succeed. */
export const isRetryableConflict = (error: unknown): boolean => {
  const aws = asAws(error);
  if (aws.name === 'TransactionConflictException') return true;
  const reasons = cancellationReasons(error) ?? [];
  return (
    reasons.some((r) => RETRYABLE_CANCELLATIONS.has(r.code)) &&
    !reasons.some((r) => r.code === 'ConditionalCheckFailed')
  );
};

/** DynamoDB's "slow down" answers: HTTP 400 and a client fault, yet nothing wrong with the request. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

const THROTTLED_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * A write DynamoDB refused for throughput, as `DynamoTable` throws it once the SDK's and its
 * own quick retries are spent: a throttled single write (unavailable), or a transaction
 * cancelled for throttling (a conflict). Nothing was written; the same request may succeed later.
 */
export const isThrottledWrite = (error: unknown): boolean => {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (error instanceof WriteConflictError)
    return (cancellationReasons(cause) ?? []).some((r) => THROTTLED_CANCELLATIONS.has(r.code));
  if (error instanceof StoreUnavailableError) {
    const name = asAws(cause).name;
    return name !== undefined && THROTTLED.has(name);
  }
  return false;
};

/**
 * DynamoDB unreachable or failing on its side (after the SDK's own retries): the caller
 * should get "try again later", never a stack trace. Client faults stay as they are: they
 * are bugs in a request we built.
 */
export const toStoreError = (error: unknown): unknown => {
  const aws = asAws(error);
  const status = aws.$metadata?.httpStatusCode;
  const unavailable =
    aws.$fault === 'server' ||
    (status !== undefined && status >= 500) ||
    // The SDK sent the request (its retry layer recorded the attempts) and no HTTP answer came
    // back: refused, reset, timed out, unresolvable... whatever the network error is called.
    // An error raised before sending, such as a value that cannot be marshalled, has no
    // $metadata and stays a bug.
    (aws.$metadata !== undefined && status === undefined) ||
    (aws.name !== undefined && THROTTLED.has(aws.name));
  return unavailable ? new StoreUnavailableError({ cause: error }) : error;
};
