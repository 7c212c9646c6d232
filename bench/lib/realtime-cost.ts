import { PRICES } from '../../src/costs/cost-model.js';
import { SERVICE_PRICES } from '../../src/scale/service-prices.js';
import type { DynamoCounts } from './realtime-dynamo-proxy.js';

/**
 * Cost per million messages of the realtime push on AWS, from what a benchmark phase measured
 * (frames posted, connection Queries, stream batches and their duration) and the assumptions
 * below, which are named as such in the report. Prices: us-east-1, on-demand (check current
 * prices); DynamoDB's from cost-model.ts.
 */
export const REALTIME_PRICES = {
  apiGatewayMessage: SERVICE_PRICES.apiGatewayMessage,
  connectionMinute: SERVICE_PRICES.connectionMinute,
  lambdaRequest: SERVICE_PRICES.lambdaRequest,
  lambdaGbSecond: SERVICE_PRICES.lambdaGbSecond,
  ...PRICES,
} as const;

export const REALTIME_ASSUMPTIONS = {
  /** The stream consumer's memory in the stack (infra/lib/stream-consumer.ts). */
  consumerMemoryGb: 256 / 1024,
  /**
   * Connection-minutes are paid per open connection, not per message. Example user: this many
   * connections (tabs, devices) open this many minutes a day, sending and receiving this many
   * messages a day.
   */
  connectionsPerUser: Number(process.env.RT_CONNECTIONS_PER_USER ?? 1.5),
  minutesConnectedPerDay: Number(process.env.RT_MINUTES_PER_DAY ?? 240),
  messagesPerUserPerDay: Number(process.env.RT_MESSAGES_PER_DAY ?? 40),
  /** A frame is well under 32 KB: one billed message per PostToConnection. */
  framesPerBilledMessage: 1,
} as const;

export interface PhaseCounts {
  messages: number;
  /** Frames received at the benchmark's sockets, by type: each one PostToConnection. */
  frames: Record<string, number>;
  dynamo: DynamoCounts;
}

export interface RealtimeCost {
  measured: {
    postsPerMessage: number;
    connectionQueriesPerMessage: number;
    connectionDeletesPerMessage: number;
    batchesPerMessage: number;
    batchMsMean: number;
    /** Share of a batch from its first connection Query to its end: the push alone. */
    pushMsMean: number;
    dynamoRequestsPerMessage: Record<string, number>;
  };
  assumed: typeof REALTIME_ASSUMPTIONS & { connectionMinutesPerMessage: number };
  dollarsPerMillionMessages: {
    apiGatewayMessages: number;
    apiGatewayConnectionMinutes: number;
    lambdaWholeBatch: number;
    lambdaPushShare: number;
    dynamoDbPushPath: number;
    totalPushPath: number;
  };
}

const mean = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

export const realtimeCost = (phase: PhaseCounts): RealtimeCost => {
  const n = Math.max(1, phase.messages);
  const posts = Object.values(phase.frames).reduce((a, b) => a + b, 0);
  const { dynamo } = phase;
  const a = REALTIME_ASSUMPTIONS;
  const p = REALTIME_PRICES;
  const batchesPerMessage = dynamo.batches / n;
  const batchMsMean = mean(dynamo.batchMs);
  const pushMsMean = mean(dynamo.pushMs);
  const lambda = (ms: number) =>
    batchesPerMessage *
    (p.lambdaRequest + (Math.ceil(ms) / 1000) * a.consumerMemoryGb * p.lambdaGbSecond) *
    1_000_000;
  const connectionMinutesPerMessage =
    (a.connectionsPerUser * a.minutesConnectedPerDay) / a.messagesPerUserPerDay;
  const apiGatewayMessages = (posts / n / a.framesPerBilledMessage) * p.apiGatewayMessage * 1e6;
  // A connection Query reads at most ~20 items of 201 B: under 4 KB, eventually consistent.
  const dynamoDbPushPath =
    ((dynamo.connectionQueries / n) * 0.5 * p.readRequestUnit +
      (dynamo.connectionDeletes / n) * 1 * p.writeRequestUnit) *
    1e6;
  const lambdaPushShare = lambda(pushMsMean) - batchesPerMessage * p.lambdaRequest * 1e6;
  return {
    measured: {
      postsPerMessage: posts / n,
      connectionQueriesPerMessage: dynamo.connectionQueries / n,
      connectionDeletesPerMessage: dynamo.connectionDeletes / n,
      batchesPerMessage,
      batchMsMean,
      pushMsMean,
      dynamoRequestsPerMessage: Object.fromEntries(
        Object.entries(dynamo.operations)
          .filter(([op]) => !op.startsWith('Streams.'))
          .map(([op, count]) => [op, count / n]),
      ),
    },
    assumed: { ...a, connectionMinutesPerMessage },
    dollarsPerMillionMessages: {
      apiGatewayMessages,
      apiGatewayConnectionMinutes: connectionMinutesPerMessage * p.connectionMinute * 1e6,
      lambdaWholeBatch: lambda(batchMsMean),
      lambdaPushShare,
      dynamoDbPushPath,
      totalPushPath:
        apiGatewayMessages +
        connectionMinutesPerMessage * p.connectionMinute * 1e6 +
        lambdaPushShare +
        dynamoDbPushPath,
    },
  };
};
