import type { DeliveryCheck } from './realtime-clients.js';
import type { PhaseCounts, REALTIME_PRICES, RealtimeCost } from './realtime-cost.js';
import type { BenchResult } from './report.js';

export interface LagSummary {
  /** Acknowledged messages measured (missing ones included). */
  messages: number;
  p50: number;
  p99: number;
  max: number;
  /** Messages whose frame never reached the socket(s) measured. */
  missing: number;
}

export interface CpuShare {
  microsPerMessage: number;
  /** CPU seconds per second of the phase: 1 = one whole core. */
  coresUsed: number;
}

/** Lag by when the POST was answered, in 2-second steps: steady, or a growing backlog? */
export type LagOverTime = { second: number; messages: number; p50: number; max: number }[];

/** The measured phases: CPU, request counts and cost are per phase. */
export const PHASES = ['idle', 'load', 'saturation'] as const;
export type Phase = (typeof PHASES)[number];

export interface RealtimeResult {
  date: string;
  machine: Omit<BenchResult['machine'], 'pinning'> & {
    /** os.loadavg() at the start and after each phase: the machine is shared. */
    loadAverages: number[][];
  };
  setup: string;
  lag: {
    idle: LagSummary;
    /** 32 senders, each waiting ~`loadPaceMs` (0.5–1.5×) after each send: the lag target. */
    load: LagSummary;
    loadMessagesPerSecond: number;
    loadPaceMs: number;
    loadErrors: number;
    loadOverTime: LagOverTime;
    /** The same 32 senders in a closed loop (each sends when answered): throughput, no target. */
    saturation: LagSummary;
    saturationMessagesPerSecond: number;
    saturationErrors: number;
    saturationOverTime: LagOverTime;
  };
  cpu: Record<Phase, Record<'server' | 'database' | 'bench', CpuShare>>;
  sockets: {
    opened: number;
    openSeconds: number;
    stillOpenAtEnd: number;
    unexpectedCloses: number;
    rssKiB: { before: number; half: number; after: number; afterClose: number };
    /** Closing the 1,000 all at once: DeleteItems the $disconnects sent, handlers that failed. */
    disconnectBurst: { deletesSent: number; failedHandlers: number };
    kibPerConnection: number;
    fanout: LagSummary;
    everySocketRound: LagSummary;
  };
  delivery: Record<string, DeliveryCheck>;
  counts: Record<Phase, PhaseCounts>;
  cost: Record<Phase, RealtimeCost>;
  prices: typeof REALTIME_PRICES;
  serverErrors: { lines: number; disconnectFailed: number; pushFailed: number; first: string[] };
  durationSeconds: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const dollars = (value: number) => `$${value.toFixed(4)}`;
const verdict = (value: number, target: number) =>
  value <= target ? 'met' : `missed by ${(value - target).toFixed(0)} ms`;
const overTime = (buckets: LagOverTime) =>
  buckets.map((b) => `${b.second} s: ${ms(b.p50)}/${ms(b.max)} (${b.messages})`).join('; ');

export const printRealtimeMarkdown = (r: RealtimeResult): void => {
  const out: string[] = [];
  const loads = r.machine.loadAverages.map((l) => l.map((v) => v.toFixed(2)).join('/')).join(' → ');
  out.push(`# Realtime delivery, ${r.date}`);
  out.push('');
  out.push(
    `${r.machine.cpus} cores (${r.machine.cpu ?? 'unknown'}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; ` +
      `load average (1/5/15 min) at start and after each phase (1,000 sockets, idle, load, saturation): ${loads}. ${r.setup}. ` +
      `Whole run ${r.durationSeconds.toFixed(0)} s.`,
  );
  out.push('');
  out.push("## Delivery lag (POST answered → `message` frame at the recipient's socket)");
  out.push('');
  out.push('| phase | messages | p50 ms | p99 ms | max ms | missing | target p99 | |');
  out.push('|---|---|---|---|---|---|---|---|');
  const lagRow = (phase: string, l: LagSummary, target: string, judged: string) =>
    out.push(
      `| ${phase} | ${l.messages} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} | ${l.missing} | ${target} | ${judged} |`,
    );
  const { lag } = r;
  lagRow('idle (1 sender, 50–100 ms apart)', lag.idle, '150 ms', verdict(lag.idle.p99, 150));
  const loadPace = lag.loadPaceMs > 0 ? `each every ~${lag.loadPaceMs} ms` : 'closed loop';
  lagRow(
    `load (32 senders, ${loadPace}, ${lag.loadMessagesPerSecond.toFixed(0)} msg/s)`,
    lag.load,
    '600 ms',
    verdict(lag.load.p99, 600),
  );
  lagRow(
    `saturation (32 senders, closed loop, ${lag.saturationMessagesPerSecond.toFixed(0)} msg/s)`,
    lag.saturation,
    '–',
    '(throughput test)',
  );
  out.push('');
  out.push(
    `Load, lag by when the POST was answered (2 s steps, p50/max ms): ${overTime(lag.loadOverTime)}. Send errors: ${lag.loadErrors}.`,
  );
  out.push('');
  out.push(
    `Saturation, the same: ${overTime(lag.saturationOverTime)}. Send errors: ${lag.saturationErrors}.`,
  );
  out.push('');
  out.push(
    '| CPU (µs per message / cores used) | server (npm start) | DynamoDB Local | benchmark (clients, proxy) |',
  );
  out.push('|---|---|---|---|');
  for (const phase of PHASES) {
    const c = r.cpu[phase];
    const cell = (x: CpuShare) => `${x.microsPerMessage.toFixed(0)} / ${x.coresUsed.toFixed(2)}`;
    out.push(`| ${phase} | ${cell(c.server)} | ${cell(c.database)} | ${cell(c.bench)} |`);
  }
  const s = r.sockets;
  out.push('');
  out.push(`## ${s.opened} sockets on one server`);
  out.push('');
  out.push(
    `Opened in ${s.openSeconds.toFixed(1)} s; server RSS ${s.rssKiB.before} → ${s.rssKiB.half} (500) → ${s.rssKiB.after} KiB ` +
      `(**${s.kibPerConnection.toFixed(1)} KiB per connection**), ${s.rssKiB.afterClose} KiB after closing them; ` +
      `${s.stillOpenAtEnd} still open at the end, ${s.unexpectedCloses} closed by the server. ` +
      `Closing all ${s.opened} at once: ${s.disconnectBurst.deletesSent} DeleteItems sent, ` +
      `${s.disconnectBurst.failedHandlers} $disconnect handlers failed.`,
  );
  out.push('');
  out.push('| measure | messages | p50 ms | p99 ms | max ms | missing |');
  out.push('|---|---|---|---|---|---|');
  out.push(
    `| one message to a user's 5 devices (all 5 have it) | ${s.fanout.messages} | ${ms(s.fanout.p50)} | ${ms(s.fanout.p99)} | ${ms(s.fanout.max)} | ${s.fanout.missing} |`,
  );
  out.push(
    `| 100 messages at once, one per conversation (all 5 devices of each recipient) | ${s.everySocketRound.messages} | ${ms(s.everySocketRound.p50)} | ${ms(s.everySocketRound.p99)} | ${ms(s.everySocketRound.max)} | ${s.everySocketRound.missing} |`,
  );
  out.push('');
  out.push('## Exactly once (every socket of sender and recipient)');
  out.push('');
  out.push(
    '| phase | acknowledged | (message, socket) expected | delivered | lost | duplicated | to others |',
  );
  out.push('|---|---|---|---|---|---|---|');
  for (const [phase, c] of Object.entries(r.delivery))
    out.push(
      `| ${phase} | ${c.messages} | ${c.expected} | ${c.delivered} | ${c.lost} | ${c.duplicated} | ${c.misdelivered} |`,
    );
  out.push('');
  out.push('## Cost per million messages on AWS (push path)');
  out.push('');
  out.push(`| | ${PHASES.join(' | ')} |`);
  out.push(`|---|${PHASES.map(() => '---|').join('')}`);
  const row = (name: string, f: (c: RealtimeCost) => string) =>
    out.push(`| ${name} | ${PHASES.map((phase) => f(r.cost[phase])).join(' | ')} |`);
  row('measured: frames posted (PostToConnection) per message', (c) =>
    c.measured.postsPerMessage.toFixed(2),
  );
  row('measured: connection Queries per message', (c) =>
    c.measured.connectionQueriesPerMessage.toFixed(2),
  );
  row('measured: connection deletes (410) per message', (c) =>
    c.measured.connectionDeletesPerMessage.toFixed(3),
  );
  row('measured: consumer batches per message', (c) => c.measured.batchesPerMessage.toFixed(3));
  row(
    'measured: batch duration, mean ms (whole handler / push share)',
    (c) => `${c.measured.batchMsMean.toFixed(1)} / ${c.measured.pushMsMean.toFixed(1)}`,
  );
  row('assumed: connection-minutes per message', (c) =>
    c.assumed.connectionMinutesPerMessage.toFixed(1),
  );
  row('API Gateway messages ($1.00/M)', (c) =>
    dollars(c.dollarsPerMillionMessages.apiGatewayMessages),
  );
  row('API Gateway connection-minutes ($0.25/M, assumed usage)', (c) =>
    dollars(c.dollarsPerMillionMessages.apiGatewayConnectionMinutes),
  );
  row('Lambda, push share of the consumer (arm64, 256 MB)', (c) =>
    dollars(c.dollarsPerMillionMessages.lambdaPushShare),
  );
  row('(Lambda, whole consumer batch incl. pattern E and requests)', (c) =>
    dollars(c.dollarsPerMillionMessages.lambdaWholeBatch),
  );
  row('DynamoDB push path (0.5 RRU per Query, 1 WRU per delete)', (c) =>
    dollars(c.dollarsPerMillionMessages.dynamoDbPushPath),
  );
  row('**total push path**', (c) => `**${dollars(c.dollarsPerMillionMessages.totalPushPath)}**`);
  out.push('');
  const ops = (c: PhaseCounts) =>
    Object.entries(c.dynamo.operations)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
  for (const phase of PHASES) {
    const c = r.counts[phase];
    out.push(`DynamoDB requests counted, ${phase} (${c.messages} messages): ${ops(c)}.`);
    out.push('');
  }
  out.push(
    `Frames posted, ${PHASES.map((phase) => `${phase}: ${JSON.stringify(r.counts[phase].frames)}`).join('; ')}.`,
  );
  const e = r.serverErrors;
  if (e.lines > 0) {
    out.push('');
    out.push(
      `Server stderr: ${e.lines} lines, ${e.disconnectFailed} "$disconnect failed", ${e.pushFailed} "push:" errors; first: ${e.first.slice(0, 3).join(' | ')}`,
    );
  }
  console.log(out.join('\n'));
};
