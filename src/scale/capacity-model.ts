import { dollarsPerMillion } from '../costs/cost-model.js';
import { messageGroupPartition } from '../messaging/keys.js';
import { type Assumptions, DEFAULT_ASSUMPTIONS, FUNCTION_MEMORY_GB } from './assumptions.js';
import { PARTITION_GB, QUOTAS } from './quotas.js';
import { SERVICE_PRICES } from './service-prices.js';
import { type UnitCosts, unitCosts } from './unit-costs.js';

const DAY_SECONDS = 86_400;
const MONTH_DAYS = 30;
/** DynamoDB's per-item storage overhead (bytes), on top of the item's own size. */
const ITEM_OVERHEAD_BYTES = 100;

/** The monthly bill's lines. */
export type BillPart =
  | 'dynamodb_requests'
  | 'api_gateway_http'
  | 'api_gateway_websocket_messages'
  | 'api_gateway_connection_minutes'
  | 'lambda_api'
  | 'lambda_realtime'
  | 'lambda_stream'
  | 'dynamodb_storage';

export interface LimitCheck {
  name: string;
  /** Use at the busiest second (or the hot partition's), against the limit. */
  peak: number;
  limit: number;
  share: number;
  /** Users at which it is reached, everything else as assumed (use grows with users). */
  reachedAtUsers: number;
  adjustable: boolean;
}

export interface ScaleModel {
  assumptions: Assumptions;
  unitCosts: UnitCosts;
  dau: number;
  perDay: {
    messages: number;
    httpRequests: number;
    readUnits: number;
    writeUnits: number;
    streamRecords: number;
    streamBatches: number;
    pushPosts: number;
    webSocketMessagesIn: number;
    connectionMinutes: number;
    connections: number;
  };
  peak: {
    messagesPerSecond: number;
    httpRequestsPerSecond: number;
    apiGatewayRequestsPerSecond: number;
    readUnitsPerSecond: number;
    writeUnitsPerSecond: number;
    newConnectionsPerSecond: number;
    lambdaConcurrency: { api: number; realtime: number; stream: number };
  };
  stream: { shards: number; recordsPerShardPerSecond: number; batchesPerSecond: number };
  storageGb: number;
  monthlyUsd: Record<BillPart, number> & { total: number };
  perThousandDauUsd: number;
  hottestPartition: {
    key: string;
    messagesPerSecond: number;
    writeUnitsPerSecond: number;
    limit: number;
    /** Messages a second one inbox takes before its partition throttles. */
    maxMessagesPerSecond: number;
  };
  limits: LimitCheck[];
  firstLimit: LimitCheck | undefined;
}

/** Batches a shard delivers a second: one opens at its first record and fills for the window. */
const batchesPerShard = (recordsPerSecond: number, windowSeconds: number): number =>
  recordsPerSecond / (1 + recordsPerSecond * windowSeconds);

/** The capacity, quotas and bill of the design at `overrides` (docs/scale.md explains it). */
export const scaleModel = (
  overrides: Partial<Assumptions> = {},
  costs: UnitCosts = unitCosts(),
): ScaleModel => {
  const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, ...overrides };
  const c = costs;
  const r = a.readMarkShare;
  const dau = a.users * a.dauShare;
  const messages = dau * a.messagesPerUser;
  const sessions = dau * a.sessionsPerDay;
  const opened = sessions * a.conversationsOpenedPerSession;
  // A recipient is online when a message arrives about as often as they are connected at the
  // busy hours: their share of the day connected, times the peak's concentration.
  const onlineShare = Math.min(1, (a.minutesConnectedPerDay / 1440) * a.peakToAverage);
  // A connection is opened per session and again every 2 hours (API Gateway's maximum).
  const connections =
    dau * a.connectionsPerUser * (a.sessionsPerDay + a.minutesConnectedPerDay / 120);
  const connectionMinutes = dau * a.connectionsPerUser * a.minutesConnectedPerDay;
  const pings = connectionMinutes / 4;

  const marks = messages * r;
  // Send, mark read, and per session: the list, `GET /api/me`, the conversations opened.
  const httpRequests = messages + marks + sessions * 2 + opened;
  const readUnits =
    messages * (c.send.read + c.advance.read + 2 * c.listConnections.read) +
    marks * (c.advanceCrossing.read + c.markRead.read + 2 * c.listConnections.read) +
    sessions * (c.listGroups.read + 0.5) +
    opened * c.listMessages.read;
  const writeUnits =
    messages * (c.send.write + c.advance.write) +
    marks * (c.advanceCrossing.write + c.markRead.write) +
    connections * c.connection.write;
  const pushPosts =
    messages * a.framesPerMessage * a.connectionsPerUser * (1 + onlineShare) +
    marks * a.connectionsPerUser * (2 + onlineShare);

  // Records the mapping's filter passes: message INSERTs and read marks' group-row MODIFYs.
  const streamRecords = messages + marks;
  const storageGb =
    (messages * MONTH_DAYS * a.retentionMonths * (c.messageBytes + 2 * ITEM_OVERHEAD_BYTES)) / 1e9;

  const peak = (perDay: number) => (perDay / DAY_SECONDS) * a.peakToAverage;
  const peakRead = peak(readUnits);
  const peakWrite = peak(writeUnits);
  const shards = Math.max(
    1,
    Math.ceil(storageGb / PARTITION_GB),
    Math.ceil(
      peakRead / QUOTAS.partitionReadUnitsPerSecond.value +
        peakWrite / QUOTAS.partitionWriteUnitsPerSecond.value,
    ),
  );
  const recordsPerShard = streamRecords / DAY_SECONDS / shards;
  const streamBatches =
    shards * batchesPerShard(recordsPerShard, a.batchingWindowSeconds) * DAY_SECONDS;
  const recordsPerBatch = streamBatches > 0 ? streamRecords / streamBatches : 0;
  const batchSeconds = (a.streamBatchMs + recordsPerBatch * a.streamRecordMs) / 1000;
  const realtimeInvocations = connections * 3 + pings; // authorizer, $connect, $disconnect

  const p = SERVICE_PRICES;
  const daily: Record<Exclude<BillPart, 'dynamodb_storage'>, number> = {
    dynamodb_requests: dollarsPerMillion(readUnits, writeUnits) / 1e6,
    api_gateway_http: httpRequests * p.httpApiRequest,
    api_gateway_websocket_messages: (pushPosts + pings) * p.apiGatewayMessage,
    api_gateway_connection_minutes: connectionMinutes * p.connectionMinute,
    lambda_api:
      httpRequests *
      (p.lambdaRequest + (a.apiMs / 1000) * FUNCTION_MEMORY_GB.api * p.lambdaGbSecond),
    lambda_realtime:
      realtimeInvocations *
      (p.lambdaRequest + (a.realtimeMs / 1000) * FUNCTION_MEMORY_GB.realtime * p.lambdaGbSecond),
    lambda_stream:
      streamBatches *
      (p.lambdaRequest + batchSeconds * FUNCTION_MEMORY_GB.stream * p.lambdaGbSecond),
  };
  const monthly = {
    ...(Object.fromEntries(
      Object.entries(daily).map(([k, v]) => [k, v * MONTH_DAYS]),
    ) as typeof daily),
    dynamodb_storage: storageGb * p.storageGbMonth,
  };
  const total = Object.values(monthly).reduce((sum, v) => sum + v, 0);

  const hotMessages = peak(messages) * a.hotInboxShare;
  const perHotMessage = c.advanceOnOwnerPartition + r * c.markOnOwnerPartition;
  const hottest = {
    key: messageGroupPartition('<the hot inbox>'),
    messagesPerSecond: hotMessages,
    writeUnitsPerSecond: hotMessages * perHotMessage,
    limit: QUOTAS.partitionWriteUnitsPerSecond.value,
    maxMessagesPerSecond: QUOTAS.partitionWriteUnitsPerSecond.value / perHotMessage,
  };

  const httpPeak = peak(httpRequests);
  const gatewayPeak = peak(httpRequests + pushPosts + pings);
  const concurrency = {
    api: httpPeak * (a.apiMs / 1000),
    realtime: peak(realtimeInvocations) * (a.realtimeMs / 1000),
    // Every shard busy at the peak keeps its batches running side by side.
    stream: Math.min(
      shards * a.parallelizationFactor,
      Math.max(1, peak(streamBatches) * batchSeconds),
    ),
  };
  const check = (
    name: string,
    used: number,
    quota: { value: number; adjustable: boolean },
  ): LimitCheck => ({
    name,
    peak: used,
    limit: quota.value,
    share: used / quota.value,
    reachedAtUsers: used > 0 ? (a.users * quota.value) / used : Number.POSITIVE_INFINITY,
    adjustable: quota.adjustable,
  });
  const limits = [
    check(
      'hot inbox partition (write units/s)',
      hottest.writeUnitsPerSecond,
      QUOTAS.partitionWriteUnitsPerSecond,
    ),
    check('table write units/s (on-demand default)', peakWrite, QUOTAS.tableWriteUnitsPerSecond),
    check('table read units/s (on-demand default)', peakRead, QUOTAS.tableReadUnitsPerSecond),
    check(
      'API Gateway requests/s (account, HTTP + WebSocket + callbacks)',
      gatewayPeak,
      QUOTAS.apiGatewayRequestsPerSecond,
    ),
    check(
      'WebSocket new connections/s',
      peak(connections),
      QUOTAS.webSocketNewConnectionsPerSecond,
    ),
    check(
      'Lambda concurrent executions',
      concurrency.api + concurrency.realtime + concurrency.stream,
      QUOTAS.lambdaConcurrentExecutions,
    ),
  ].sort((x, y) => x.reachedAtUsers - y.reachedAtUsers);

  return {
    assumptions: a,
    unitCosts: c,
    dau,
    perDay: {
      messages,
      httpRequests,
      readUnits,
      writeUnits,
      streamRecords,
      streamBatches,
      pushPosts,
      webSocketMessagesIn: pings,
      connectionMinutes,
      connections,
    },
    peak: {
      messagesPerSecond: peak(messages),
      httpRequestsPerSecond: httpPeak,
      apiGatewayRequestsPerSecond: gatewayPeak,
      readUnitsPerSecond: peakRead,
      writeUnitsPerSecond: peakWrite,
      newConnectionsPerSecond: peak(connections),
      lambdaConcurrency: concurrency,
    },
    stream: {
      shards,
      recordsPerShardPerSecond: recordsPerShard * a.peakToAverage,
      batchesPerSecond: peak(streamBatches),
    },
    storageGb,
    monthlyUsd: { ...monthly, total },
    perThousandDauUsd: dau > 0 ? total / (dau / 1000) : 0,
    hottestPartition: hottest,
    limits,
    firstLimit: limits[0],
  };
};
