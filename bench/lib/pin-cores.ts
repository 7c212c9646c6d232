import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Gives DynamoDB Local's JVM the last core and this process (the API server, the load
 * generator's thread, the bare loop) the others, with Linux's taskset. Unpinned on a 2-core
 * VM, threads of the three migrate between the cores and every hop of a request pays for
 * it: the HTTP floor of pattern A measured 0.7–1.2 ms over the bare request unpinned and
 * 0.0–0.5 ms pinned (same data, alternating rounds). Pinning is what puts the database on a
 * machine of its own, as in any deployment. `BENCH_PIN=0` turns it off; where taskset is
 * missing or there is one core, nothing is pinned. Returns a line for the report.
 */
export const pinCores = (javaPid: number | undefined): string => {
  const cores = cpus().length;
  if (process.env.BENCH_PIN === '0') return 'not pinned (BENCH_PIN=0)';
  if (process.platform !== 'linux' || cores < 2 || javaPid === undefined) return 'not pinned';
  const last = cores - 1;
  const others = last === 1 ? '0' : `0-${last - 1}`;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(last), String(javaPid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', others, String(process.pid)], { stdio: 'ignore' });
  } catch {
    return 'not pinned (taskset failed or is missing)';
  }
  return `DynamoDB Local pinned to core ${last}, the benchmark to core(s) ${others}`;
};
