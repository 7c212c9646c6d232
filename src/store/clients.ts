import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Undefined on AWS: the SDK resolves the regional endpoint itself. */
  endpoint: string | undefined;
  region: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** DynamoDB Local accepts any credentials; with -sharedDb they all see the same tables. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Fail fast when DynamoDB is down or hangs: the API answers 503 instead of keeping a client
 * waiting. A request DynamoDB does not answer within `requestTimeoutMs` is abandoned and
 * retried by the SDK (at most `maxAttempts` in all). Without `throwOnRequestTimeout` the SDK
 * only logs a warning and keeps waiting.
 */
const requestHandler = (requestTimeoutMs = 2_000) => ({
  connectionTimeout: 1_000,
  requestTimeout: requestTimeoutMs,
  throwOnRequestTimeout: true,
});

/**
 * The client for `endpoint`, or for DynamoDB on AWS without one. `region` and
 * `credentialsInEnvironment` are the database config's `client` settings (src/config/database.ts
 * reads them from the environment); without them, us-east-1 and, for an endpoint, DynamoDB
 * Local's placeholder credentials.
 */
export const connectDynamo = (options: {
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Credentials are in the environment: the SDK's own chain signs, even for an endpoint. */
  credentialsInEnvironment?: boolean | undefined;
  maxAttempts?: number | undefined;
  requestTimeoutMs?: number | undefined;
}): DynamoConnection => {
  const region = options.region ?? 'us-east-1';
  const config: DynamoDBClientConfig = {
    region,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: requestHandler(options.requestTimeoutMs),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // A local endpoint needs some credentials; real ones from the environment win.
    ...(options.endpoint && !options.credentialsInEnvironment
      ? { credentials: LOCAL_CREDENTIALS }
      : {}),
  };
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { endpoint: options.endpoint, region, client, doc };
};

/** The Streams API at the same place and with the same credentials as `connection`. */
export const connectStreams = (connection: DynamoConnection): DynamoDBStreamsClient =>
  new DynamoDBStreamsClient({
    region: connection.region,
    endpoint: connection.endpoint,
    credentials: connection.client.config.credentials,
    requestHandler: requestHandler(),
  });
