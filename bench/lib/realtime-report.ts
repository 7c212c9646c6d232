import type { DeliveryCheck } from './realtime-clients.js';
import type { PhaseCounts, REALTIME_PRICES, RealtimeCost } from './realtime-cost.js';

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

export interface RealtimeResult {
  date: string;
  machine: {
    cpus: number;
    cpu: string | undefined;
    memoryGiB: number;
    node: string;
    /** os.loadavg() at the start and after each phase: the machine is shared. */
    loadAverages: number[][];
  };
  setup: string;
  lag: {
    idle: LagSummary;
    load: LagSummary;
    loadMessagesPerSecond: number;
    loadPaceMs: number;
    loadErrors: number;
    loadOverTime: { second: number; messages: number; p50: number; max: number }[];
  };
  cpu: Record<'idle' | 'load', Record<'server' | 'database' | 'bench', CpuShare>>;
  sockets: {
    opened: number;
    openSeconds: number;
    stillOpenAtEnd: number;
    unexpectedCloses: number;
    rssKiB: { before: number; half: number; after: number; afterClose: number };
    /** Closing the 1,000 (100 every 300 ms): DeleteItems the $disconnects sent, handlers that failed. */
    disconnectBurst: { deletesSent: number; failedHandlers: number };
    kibPerConnection: number;
    fanout: LagSummary;
    everySocketRound: LagSummary;
  };
  delivery: Record<string, DeliveryCheck>;
  counts: { idle: PhaseCounts; load: PhaseCounts };
  cost: { idle: RealtimeCost; load: RealtimeCost };
  prices: typeof REALTIME_PRICES;
  serverErrors: { lines: number; disconnectFailed: number; pushFailed: number; first: string[] };
  durationSeconds: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const dollars = (value: number) => `$${value.toFixed(4)}`;
const verdict = (value: number, target: number) =>
  value <= target ? 'met' : `missed by ${(value - target).toFixed(0)} ms`;

export const printRealtimeMarkdown = (r: RealtimeResult): void => {
  const out: string[] = [];
  const loads = r.machine.loadAverages.map((l) => l.map((v) => v.toFixed(2)).join('/')).join(' → ');
  out.push(`# Realtime delivery, ${r.date}`);
  out.push('');
  out.push(
    `${r.machine.cpus} cores (${r.machine.cpu ?? 'unknown'}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; ` +
      `load average (1/5/15 min) at start and after each phase (1,000 sockets, idle, load): ${loads}. ${r.setup}. ` +
      `Whole run ${r.durationSeconds.toFixed(0)} s.`,
  );
  out.push('');
  out.push("## Delivery lag (POST answered → `message` frame at the recipient's socket)");
  out.push('');
  out.push('| phase | messages | p50 ms | p99 ms | max ms | missing | target p99 | |');
  out.push('|---|---|---|---|---|---|---|---|');
  const { idle, load } = r.lag;
  out.push(
    `| idle (1 sender, 50–100 ms apart) | ${idle.messages} | ${ms(idle.p50)} | ${ms(idle.p99)} | ${ms(idle.max)} | ${idle.missing} | 150 ms | ${verdict(idle.p99, 150)} |`,
  );
  out.push(
    `| load (32 senders, ${r.lag.loadPaceMs > 0 ? `~${r.lag.loadPaceMs} ms apart, ` : 'closed loop, '}${r.lag.loadMessagesPerSecond.toFixed(0)} msg/s) | ${load.messages} | ${ms(load.p50)} | ${ms(load.p99)} | ${ms(load.max)} | ${load.missing} | 600 ms | ${verdict(load.p99, 600)} |`,
  );
  out.push('');
  out.push(
    `Load, lag by when the POST was answered (2 s steps, p50/max ms): ${r.lag.loadOverTime.map((b) => `${b.second} s: ${ms(b.p50)}/${ms(b.max)} (${b.messages})`).join('; ')}. Send errors: ${r.lag.loadErrors}.`,
  );
  out.push('');
  out.push(
    '| CPU (µs per message / cores used) | server (npm start) | DynamoDB Local | benchmark (clients, proxy) |',
  );
  out.push('|---|---|---|---|');
  for (const phase of ['idle', 'load'] as const) {
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
      `Closing all ${s.opened}, 100 every 300 ms: ${s.disconnectBurst.deletesSent} DeleteItems sent, ` +
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
  out.push('| | idle | load |');
  out.push('|---|---|---|');
  const { idle: ci, load: cl } = r.cost;
  const row = (name: string, f: (c: RealtimeCost) => string) =>
    out.push(`| ${name} | ${f(ci)} | ${f(cl)} |`);
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
  out.push(
    `DynamoDB requests counted, idle (${r.counts.idle.messages} messages): ${ops(r.counts.idle)}.`,
  );
  out.push('');
  out.push(
    `DynamoDB requests counted, load (${r.counts.load.messages} messages): ${ops(r.counts.load)}.`,
  );
  out.push('');
  out.push(
    `Frames posted, idle: ${JSON.stringify(r.counts.idle.frames)}; load: ${JSON.stringify(r.counts.load.frames)}.`,
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
