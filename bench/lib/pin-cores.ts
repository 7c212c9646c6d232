import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface Pinning {
  /** A line for the report. */
  description: string;
  /** Where the load generator runs at `clients` concurrent clients (a taskset list); undefined when nothing is pinned. */
  loadGeneratorCores: (clients: number) => string | undefined;
}

/** Nothing pinned: every process runs where the kernel puts it. */
export const unpinned = (description = 'not pinned'): Pinning => ({
  description,
  loadGeneratorCores: () => undefined,
});

/**
 * Gives DynamoDB Local's JVM the last core and this process (the API server, the bare loop)
 * the others, with Linux's taskset. Unpinned on a 2-core VM, threads of the three migrate
 * between the cores and every hop of a request pays for it: the HTTP floor of pattern A
 * measured 0.7–1.2 ms over the bare request unpinned and 0.0–0.5 ms pinned (same data,
 * alternating rounds). Pinning is what puts the database on a machine of its own, as in any
 * deployment. `BENCH_PIN=0` turns it off; where taskset is missing or there is one core,
 * nothing is pinned.
 *
 * The load generator stands for the API's clients, which have machines of their own too; with
 * two cores it must share one, and it goes where it disturbs least:
 * - with several clients, the database's core. On the server's core it took CPU for every
 *   request (~170 µs, measured with autocannon on a thread of the server's process) that the
 *   bare loop, which is its own client, never pays: at 8 and 32 clients the API measured the
 *   load generator more than the server (API/bare 1.5–1.8, the HTTP floor as much). On the
 *   database's core, what it takes slows DynamoDB Local, which limits the API as much as the
 *   bare request, so the API is measured at a disadvantage, never at an advantage.
 * - with one client, the server's core. The client waits for its answer, so it and the server
 *   take turns (only the edges of their work overlap) and share the core almost for free; on
 *   the database's core it ran between every two Queries, which then took longer, as the bare
 *   loop's never do. API minus bare at 1 client, alternating the two placements in one
 *   process: 0.10 ms lower on average for A and B on the full dataset (12 pairs), 0.23 ms for
 *   A on a smaller one while the VM was slower (18 pairs).
 */
export const pinCores = (javaPid: number | undefined): Pinning => {
  const cores = cpus().length;
  if (process.env.BENCH_PIN === '0') return unpinned('not pinned (BENCH_PIN=0)');
  if (process.platform !== 'linux' || cores < 2 || javaPid === undefined) return unpinned();
  const last = cores - 1;
  const others = last === 1 ? '0' : `0-${last - 1}`;
  try {
    pinProcess(javaPid, String(last));
    pinProcess(process.pid, others);
  } catch {
    return unpinned('not pinned (taskset failed or is missing)');
  }
  return {
    description: `DynamoDB Local pinned to core ${last}, the API server and the bare loop to core(s) ${others}, the load generator to core ${last} (to core(s) ${others} with 1 client)`,
    loadGeneratorCores: (clients) => (clients === 1 ? others : String(last)),
  };
};

/** Pins every thread of process `pid`, and those it starts later, to `cores` (a taskset list). */
export const pinProcess = (pid: number, cores: string): void => {
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
};
