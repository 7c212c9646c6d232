import { Pool } from 'undici';
import { closedLoop } from './closed-loop.js';
import type { HttpLoadJob, HttpLoadReply } from './http-load.js';
import { pinProcess } from './pin-cores.js';

/**
 * The load generator's process (see http-load.ts): one job per message from the benchmark,
 * `connections` keep-alive connections each sending the next prepared request when the
 * previous one is answered, with the closed loop that times the bare requests. Connections
 * outlive a job, as the SDK's do between slices of bare requests. Ends with the benchmark.
 */
let pinnedTo: string | undefined;
const pinTo = (cores: string | undefined) => {
  if (cores === undefined || cores === pinnedTo) return;
  pinProcess(process.pid, cores);
  pinnedTo = cores;
};

const pools = new Map<string, Pool>();
const poolFor = (baseUrl: string, connections: number): Pool => {
  const key = `${baseUrl} ${connections}`;
  const pool = pools.get(key) ?? new Pool(baseUrl, { connections });
  pools.set(key, pool);
  return pool;
};

const runJob = async (job: HttpLoadJob): Promise<HttpLoadReply> => {
  const statuses: Record<string, number> = {};
  try {
    pinTo(job.cores);
    const pool = poolFor(job.baseUrl, job.connections);
    const cpu = process.cpuUsage();
    const run = await closedLoop(job.connections, job.seconds, async (n) => {
      const spec = job.specs[n % job.specs.length];
      if (!spec) throw new Error('No prepared requests.');
      const response = await pool.request({
        method: spec.method,
        path: spec.path,
        headers: {
          authorization: `Bearer ${spec.token}`,
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: spec.body === undefined ? null : JSON.stringify(spec.body),
      });
      await response.body.dump();
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
    });
    const spent = process.cpuUsage(cpu);
    const cpuMicros = spent.user + spent.system;
    return { error: undefined, ...run, statuses, issued: run.latencies.length, cpuMicros };
  } catch (error) {
    return { error: String(error), latencies: [], seconds: 0, statuses, issued: 0, cpuMicros: 0 };
  }
};

process.on('message', (job: HttpLoadJob) => {
  void runJob(job).then((reply) => process.send?.(reply));
});
// The benchmark gone (even killed), nothing is left to measure.
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
