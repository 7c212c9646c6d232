import '../src/runtime/node-version-notice.js';
import { cpus, loadavg, totalmem } from 'node:os';
import pMap from 'p-map';
import { percentile } from './lib/latency.js';
import {
  type BenchUser,
  checkDelivery,
  createUser,
  type DeliveryCheck,
  lagsToRecipient,
  realtimeUrlOf,
  type SentMessage,
  SocketPool,
  sendMessage,
  setupMessage,
  waitForDelivery,
} from './lib/realtime-clients.js';
import { type PhaseCounts, REALTIME_PRICES, realtimeCost } from './lib/realtime-cost.js';
import {
  type LagOverTime,
  type LagSummary,
  printRealtimeMarkdown,
  type RealtimeResult,
} from './lib/realtime-report.js';
import { startRealtimeServer } from './lib/realtime-server.js';
import { fileTime, writeResultsFile } from './lib/results-file.js';

/**
 * `npm run bench:realtime`: the realtime WebSocket of `npm start`, measured from outside as a
 * browser sees it. Delivery lag from a POST's answer to the `message` frame at the recipient's
 * socket (idle; "load": 32 concurrent senders, each every ~500 ms; "saturation": the same 32 in
 * a closed loop, a throughput test), 1,000 sockets on one server (memory per connection,
 * fan-out to a user's 5 devices, closing all at once), and the push's cost on AWS from counted
 * requests. Every acknowledged message must reach every socket of both participants exactly once.
 *
 * Options (environment):
 * - RT_IDLE_MESSAGES (200): messages of the idle phase.
 * - RT_LOAD_SECONDS (20), RT_LOAD_PACE_MS (500): the load phase's length, and each sender's pause
 *   after a send (0.5–1.5 times it; 0: closed loop).
 * - RT_SATURATION_SECONDS (10): the saturation phase's length.
 * - RT_FANOUTS (50): messages measured for the fan-out to 5 devices.
 * - RT_PROXY=0: DynamoDB Local reached directly (no request counts, no cost).
 * - RT_SERVER_NODE_ARGS: node options of the server, space-separated, e.g.
 *   `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 * - RT_CONNECTIONS_PER_USER, RT_MINUTES_PER_DAY, RT_MESSAGES_PER_DAY: the cost's assumptions
 *   (lib/realtime-cost.ts).
 */
const env = process.env;
const IDLE_MESSAGES = Number(env.RT_IDLE_MESSAGES ?? 200);
const LOAD_SECONDS = Number(env.RT_LOAD_SECONDS ?? 20);
const SATURATION_SECONDS = Number(env.RT_SATURATION_SECONDS ?? 10);
const SENDERS = 32;
const SOCKETS = 1_000;
const DEVICES = 5;
const FANOUTS = Number(env.RT_FANOUTS ?? 50);
/** Each load sender's pause after a send (0.5–1.5 times it): 32 senders, ~64 messages a second. */
const LOAD_PACE_MS = Number(env.RT_LOAD_PACE_MS ?? 500);
/** How long frames may take to arrive after the last send, before they count as lost. */
const DRAIN_MS = 60_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.random() * (high - low);
const started = Date.now();
const loadAverages: number[][] = [loadavg()];

const summarize = (lags: number[], missing: number): LagSummary => {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    messages: sorted.length + missing,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    missing,
  };
};

/** CPU time per message (µs) of each process in a phase, and the share of all cores it took. */
const cpuOf = (
  before: { server: number; database: number; bench: number },
  after: { server: number; database: number; bench: number },
  messages: number,
  seconds: number,
) => {
  const entry = (key: 'server' | 'database' | 'bench') => ({
    microsPerMessage: (after[key] - before[key]) / Math.max(1, messages),
    coresUsed: (after[key] - before[key]) / 1e6 / seconds,
  });
  return { server: entry('server'), database: entry('database'), bench: entry('bench') };
};

/** Lag by when the message was answered, in 2-second steps: steady, or a growing backlog? */
const lagOverTime = (
  sent: readonly SentMessage[],
  lags: Map<string, number>,
  startedAt: number,
): LagOverTime => {
  const buckets = new Map<number, number[]>();
  for (const m of sent) {
    const lag = lags.get(m.uuid);
    if (lag === undefined) continue;
    const bucket = Math.floor((m.answeredAt - startedAt) / 2000) * 2;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), lag]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return {
        second,
        messages: sorted.length,
        p50: percentile(sorted, 50),
        max: sorted[sorted.length - 1] ?? Number.NaN,
      };
    });
};

const socketsByUser = (pool: SocketPool, users: BenchUser[]) =>
  new Map(users.map((u) => [u.uuid, pool.socketsOf(u)]));

const server = await startRealtimeServer(log);
let failed = false;
try {
  const base = server.baseUrl;
  const url = await realtimeUrlOf(base);
  log(`server pid ${server.pid} at ${base}, realtime ${url} (${(Date.now() - started) / 1000} s)`);

  // Users: an idle pair, 32 load pairs, and 200 users of 5 sockets each for the 1,000.
  const handles = [
    'idle_a',
    'idle_b',
    ...Array.from({ length: SENDERS }, (_, i) => [`load_s${i}`, `load_r${i}`]).flat(),
    ...Array.from({ length: SOCKETS / DEVICES }, (_, i) => `fan_u${i}`),
  ];
  const users = await pMap(handles, (handle) => createUser(base, handle), { concurrency: 16 });
  const byHandle = new Map(users.map((u) => [u.handle, u]));
  const user = (handle: string) => byHandle.get(handle) as BenchUser;
  const idleA = user('idle_a');
  const idleB = user('idle_b');
  const loadPairs = Array.from({ length: SENDERS }, (_, i) => [
    user(`load_s${i}`),
    user(`load_r${i}`),
  ]) as [BenchUser, BenchUser][];
  const fanUsers = Array.from({ length: SOCKETS / DEVICES }, (_, i) => user(`fan_u${i}`));
  const fanPairs = Array.from({ length: fanUsers.length / 2 }, (_, i) => [
    fanUsers[2 * i],
    fanUsers[2 * i + 1],
  ]) as [BenchUser, BenchUser][];
  // Conversations start before any socket opens: their first messages are not measured.
  const groups = new Map<string, string>();
  await pMap(
    [[idleA, idleB] as [BenchUser, BenchUser], ...loadPairs, ...fanPairs],
    async ([a, b]) => {
      const first = await setupMessage(base, a, b, 'handle', 'hello');
      groups.set(a.uuid, first.groupUuid);
    },
    { concurrency: 16 },
  );
  const groupOf = (sender: BenchUser) => ({ groupUuid: groups.get(sender.uuid) as string });
  log(`${users.length} users, ${groups.size} conversations (${(Date.now() - started) / 1000} s)`);
  await sleep(2_000); // the consumer pushes those first messages to nobody

  const framesBefore = (pool: SocketPool) => ({ ...pool.frames });
  const framesSince = (pool: SocketPool, before: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(pool.frames).map(([type, n]) => [type, n - (before[type] ?? 0)]),
    );

  // 1. 1,000 sockets: 200 users with 5 devices each. First, while the server's heap holds
  // little but start-up: RSS is sampled as the median of several reads, at 0, 500 and 1,000.
  const rssMedian = async () => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(server.rssKiB());
      await sleep(200);
    }
    return samples.sort((a, b) => a - b)[2] as number;
  };
  await sleep(1_000);
  const rssBefore = await rssMedian();
  const big = new SocketPool(url);
  const devices = fanUsers.flatMap((u) => Array.from({ length: DEVICES }, () => u));
  const openStarted = performance.now();
  await pMap(devices.slice(0, SOCKETS / 2), (u) => big.open(u), { concurrency: 50 });
  let openSeconds = (performance.now() - openStarted) / 1000;
  await sleep(1_000);
  const rssHalf = await rssMedian();
  const secondHalf = performance.now();
  await pMap(devices.slice(SOCKETS / 2), (u) => big.open(u), { concurrency: 50 });
  openSeconds += (performance.now() - secondHalf) / 1000;
  await sleep(1_000);
  const rssAfter = await rssMedian();
  log(
    `${big.openCount} sockets open in ${openSeconds.toFixed(1)} s; server RSS ${rssBefore} → ${rssHalf} → ${rssAfter} KiB`,
  );
  const [fanSender, fanTarget] = fanPairs[0] as [BenchUser, BenchUser];
  const bigUsers = socketsByUser(big, fanUsers);
  for (let i = 0; i < 5; i++) {
    const sent = await sendMessage(base, fanSender, fanTarget, groupOf(fanSender), `warm ${i}`);
    await waitForDelivery(big, [sent], bigUsers, 5_000);
  }
  const fanSent: SentMessage[] = [];
  for (let i = 0; i < FANOUTS; i++) {
    const sent = await sendMessage(base, fanSender, fanTarget, groupOf(fanSender), `fan ${i}`);
    fanSent.push(sent);
    await waitForDelivery(big, [sent], bigUsers, 5_000);
    await sleep(between(50, 100));
  }
  const fanLag = lagsToRecipient(big, fanSent, bigUsers);
  const fanout = summarize(fanLag.lags, fanLag.missing);
  log(`fan-out to 5 devices: p50 ${fanout.p50.toFixed(1)} ms, p99 ${fanout.p99.toFixed(1)} ms`);
  // Then one message in each of the 100 conversations at once: every socket gets one.
  const roundSent = await pMap(
    fanPairs,
    ([a, b]) => sendMessage(base, a, b, groupOf(a), 'to every socket'),
    { concurrency: 100 },
  );
  await waitForDelivery(big, roundSent, bigUsers, DRAIN_MS);
  await sleep(1_000);
  const bigCheck = checkDelivery(big, [...fanSent, ...roundSent], bigUsers);
  const roundLag = lagsToRecipient(big, roundSent, bigUsers);
  const round = summarize(roundLag.lags, roundLag.missing);
  const stillOpen = big.openCount;
  const bigUnexpectedCloses = big.unexpectedCloses;
  // All 1,000 at once: the local gateway runs at most 64 handlers at a time, so the burst of
  // $disconnects queues there instead of overwhelming DynamoDB Local (see performance.md).
  // Wait until every $disconnect has deleted or failed (a failure comes after the SDK's
  // attempts), or nothing changed for 3 s.
  const disconnectErrorsBefore = server.errors.length;
  const failedSince = () =>
    server.errors.slice(disconnectErrorsBefore).filter((l) => l.includes('$disconnect failed'))
      .length;
  server.proxy.reset();
  await big.closeAll();
  let unchanged = 0;
  for (let i = 0; i < 120 && unchanged < 6; i++) {
    const seen = server.proxy.counts().connectionDeletes + failedSince();
    if (seen >= SOCKETS) break;
    await sleep(500);
    unchanged =
      server.proxy.counts().connectionDeletes + failedSince() === seen ? unchanged + 1 : 0;
  }
  const disconnectBurst = {
    deletesSent: server.proxy.counts().operations.DeleteItem ?? 0,
    failedHandlers: failedSince(),
  };
  const rssClosed = await rssMedian();
  log(`closed: ${JSON.stringify(disconnectBurst)}; RSS ${rssClosed} KiB`);
  loadAverages.push(loadavg());

  // 2. Idle: one sender, a message every 50–100 ms; one socket each.
  const small = new SocketPool(url);
  await small.open(idleA);
  await small.open(idleB);
  for (let i = 0; i < 10; i++) {
    await sendMessage(base, idleA, idleB, groupOf(idleA), `warm-up ${i}`);
    await sleep(between(50, 100));
  }
  await sleep(1_000);

  /**
   * One measured phase on `small`: request counts, frames and CPU from before `send` until its
   * messages have arrived (or DRAIN_MS passed) and `settleMs` more (late duplicates would show).
   */
  const measurePhase = async (
    users: BenchUser[],
    settleMs: number,
    send: () => Promise<SentMessage[]>,
  ) => {
    server.proxy.reset();
    const frames = framesBefore(small);
    const cpuBefore = server.cpuMicros();
    const phaseStarted = performance.now();
    const sent = await send();
    const sendSeconds = (performance.now() - phaseStarted) / 1000;
    const sockets = socketsByUser(small, users);
    await waitForDelivery(small, sent, sockets, DRAIN_MS);
    await sleep(settleMs);
    const cpu = cpuOf(
      cpuBefore,
      server.cpuMicros(),
      sent.length,
      (performance.now() - phaseStarted) / 1000,
    );
    const counts: PhaseCounts = {
      messages: sent.length,
      frames: framesSince(small, frames),
      dynamo: server.proxy.counts(),
    };
    const check = checkDelivery(small, sent, sockets);
    const lags = lagsToRecipient(small, sent, sockets);
    const lag = summarize(lags.lags, lags.missing);
    loadAverages.push(loadavg());
    return { sent, sendSeconds, phaseStarted, lagByUuid: lags.byUuid, lag, cpu, counts, check };
  };

  const idle = await measurePhase([idleA, idleB], 500, async () => {
    const sent: SentMessage[] = [];
    for (let i = 0; i < IDLE_MESSAGES; i++) {
      sent.push(await sendMessage(base, idleA, idleB, groupOf(idleA), `idle ${i}`));
      await sleep(between(50, 100));
    }
    return sent;
  });
  log(
    `idle: p50 ${idle.lag.p50.toFixed(1)} ms, p99 ${idle.lag.p99.toFixed(1)} ms, max ${idle.lag.max.toFixed(1)} ms`,
  );

  /**
   * Each pair's sender sends to its recipient for `seconds`, in a conversation of its own, all
   * pairs at once: `paceMs` 0, as soon as the previous POST is answered (closed loop); else
   * 0.5–1.5 × `paceMs` after it, the first send within `paceMs` of the start (no opening burst).
   */
  const runSendersPhase = async (options: {
    name: string;
    pairs: [BenchUser, BenchUser][];
    paceMs: number;
    seconds: number;
  }) => {
    const { name, pairs, paceMs, seconds } = options;
    let errors = 0;
    const phase = await measurePhase(pairs.flat(), 1_000, async () => {
      const sent: SentMessage[] = [];
      const ends = Date.now() + seconds * 1000;
      await Promise.all(
        pairs.map(async ([s, r], i) => {
          if (paceMs > 0) await sleep(Math.random() * paceMs);
          for (let n = 0; Date.now() < ends && n < 100_000; n++) {
            try {
              sent.push(await sendMessage(base, s, r, groupOf(s), `${name} ${i} ${n}`));
            } catch (error) {
              errors++;
              if (errors <= 3) log(`${name} send failed: ${String(error)}`);
            }
            // Not past the end: the phase's msg/s is over the time it sent.
            if (paceMs > 0) await sleep(Math.min(between(0.5, 1.5) * paceMs, ends - Date.now()));
          }
        }),
      );
      return sent;
    });
    const messagesPerSecond = phase.sent.length / phase.sendSeconds;
    const { lag } = phase;
    log(
      `${name}: ${phase.sent.length} messages in ${phase.sendSeconds.toFixed(1)} s (${messagesPerSecond.toFixed(0)} msg/s), p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms`,
    );
    return {
      ...phase,
      messagesPerSecond,
      errors,
      overTime: lagOverTime(phase.sent, phase.lagByUuid, phase.phaseStarted),
    };
  };

  // 3. Load: 32 senders in conversations of their own, each every ~RT_LOAD_PACE_MS; then
  // 4. saturation: the same senders and sockets in a closed loop, for throughput.
  for (const [s, r] of loadPairs) {
    await small.open(s);
    await small.open(r);
  }
  await sleep(500);
  const load = await runSendersPhase({
    name: 'load',
    pairs: loadPairs,
    paceMs: LOAD_PACE_MS,
    seconds: LOAD_SECONDS,
  });
  const saturation = await runSendersPhase({
    name: 'saturation',
    pairs: loadPairs,
    paceMs: 0,
    seconds: SATURATION_SECONDS,
  });
  const smallUnexpectedCloses = small.unexpectedCloses;
  await small.closeAll();

  const checks: Record<string, DeliveryCheck> = {
    '1,000 sockets': bigCheck,
    idle: idle.check,
    load: load.check,
    saturation: saturation.check,
  };
  const result: RealtimeResult = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverages,
    },
    setup:
      `node --import tsx src/main.ts (npm start), DynamoDB Local in memory ${server.counting ? 'behind a counting proxy' : 'reached directly (RT_PROXY=0: no request counts)'}, ` +
      `STREAM_POLL_INTERVAL_MS ${env.STREAM_POLL_INTERVAL_MS ?? '50 (default)'}`,
    lag: {
      idle: idle.lag,
      load: load.lag,
      loadMessagesPerSecond: load.messagesPerSecond,
      loadPaceMs: LOAD_PACE_MS,
      loadErrors: load.errors,
      loadOverTime: load.overTime,
      saturation: saturation.lag,
      saturationMessagesPerSecond: saturation.messagesPerSecond,
      saturationErrors: saturation.errors,
      saturationOverTime: saturation.overTime,
    },
    cpu: { idle: idle.cpu, load: load.cpu, saturation: saturation.cpu },
    sockets: {
      opened: SOCKETS,
      openSeconds,
      stillOpenAtEnd: stillOpen,
      unexpectedCloses: smallUnexpectedCloses + bigUnexpectedCloses,
      rssKiB: { before: rssBefore, half: rssHalf, after: rssAfter, afterClose: rssClosed },
      disconnectBurst,
      kibPerConnection: (rssAfter - rssBefore) / SOCKETS,
      fanout,
      everySocketRound: round,
    },
    delivery: checks,
    counts: { idle: idle.counts, load: load.counts, saturation: saturation.counts },
    cost: {
      idle: realtimeCost(idle.counts),
      load: realtimeCost(load.counts),
      saturation: realtimeCost(saturation.counts),
    },
    prices: REALTIME_PRICES,
    serverErrors: {
      lines: server.errors.length,
      disconnectFailed: server.errors.filter((l) => l.includes('$disconnect failed')).length,
      pushFailed: server.errors.filter((l) => l.includes('push:')).length,
      first: server.errors.slice(0, 20),
    },
    durationSeconds: (Date.now() - started) / 1000,
  };
  printRealtimeMarkdown(result);
  const file = writeResultsFile(`realtime-${fileTime(result.date)}`, result);
  log(`results: ${file}`);
  const bad = Object.entries(checks).filter(
    ([, c]) => c.lost > 0 || c.duplicated > 0 || c.misdelivered > 0,
  );
  if (bad.length > 0 || result.sockets.unexpectedCloses > 0 || stillOpen !== SOCKETS) {
    console.error(
      `LOST, DUPLICATED OR MISDELIVERED FRAMES: ${JSON.stringify(Object.fromEntries(bad))}`,
    );
    failed = true;
  }
} catch (error) {
  log(
    `bench:realtime failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  failed = true;
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
