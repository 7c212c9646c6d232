/**
 * What the scale model assumes about use, each a named guess (docs/scale.md says why). The
 * command's flags override the first four.
 */
export interface Assumptions {
  users: number;
  /** Share of users active on a day. */
  dauShare: number;
  /** Messages each active user sends a day. */
  messagesPerUser: number;
  /** Share of the busiest second's messages addressed to one account (a creator, a support inbox). */
  hotInboxShare: number;
  /** Busiest second against the day's average. */
  peakToAverage: number;
  /** Share of messages their recipient reads while the conversation is open (a read mark each). */
  readMarkShare: number;
  /** Sessions of an active user a day; each lists conversations once and opens some. */
  sessionsPerDay: number;
  conversationsOpenedPerSession: number;
  /** Realtime: connections (tabs, devices) per connected user, minutes connected a day. */
  connectionsPerUser: number;
  minutesConnectedPerDay: number;
  /** Frames a participant's connection gets per message (the message, the moved row). */
  framesPerMessage: number;
  /** Messages are kept this long (storage grows until then). */
  retentionMonths: number;
  /** Lambda: milliseconds per API request and per realtime route; per stream batch and record. */
  apiMs: number;
  realtimeMs: number;
  streamBatchMs: number;
  streamRecordMs: number;
  /** The stream mapping's settings (infra/lib/stream-consumer.ts). */
  batchingWindowSeconds: number;
  parallelizationFactor: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  users: 1_000_000,
  dauShare: 0.2,
  messagesPerUser: 40,
  hotInboxShare: 0.001,
  peakToAverage: 3,
  readMarkShare: 0.5,
  sessionsPerDay: 4,
  conversationsOpenedPerSession: 3,
  connectionsPerUser: 1.5,
  minutesConnectedPerDay: 240,
  framesPerMessage: 2,
  retentionMonths: 12,
  apiMs: 30,
  realtimeMs: 15,
  streamBatchMs: 40,
  streamRecordMs: 4,
  batchingWindowSeconds: 1,
  parallelizationFactor: 1,
};

/** Memory of each function in the stack (infra/lib/api.ts, realtime.ts, stream-consumer.ts). */
export const FUNCTION_MEMORY_GB = { api: 0.5, realtime: 0.25, stream: 0.25 } as const;
