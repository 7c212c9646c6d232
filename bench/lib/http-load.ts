import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { ClosedLoopRun } from './closed-loop.js';

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  token: string;
  body?: unknown;
}

export interface HttpLoadJob {
  baseUrl: string;
  /** Where the load generator runs for this job (a taskset list; see pin-cores.ts); undefined: where it ran last. */
  cores: string | undefined;
  connections: number;
  seconds: number;
  specs: HttpRequestSpec[];
}

export interface HttpLoadRun extends ClosedLoopRun {
  statuses: Record<string, number>;
  /** How many of the prepared requests were sent (they are used in order, then again). */
  issued: number;
  /** CPU time the load generator's process spent on the run (µs). */
  cpuMicros: number;
}

export type HttpLoadReply = HttpLoadRun & { error: string | undefined };

export interface LoadGenerator {
  /**
   * Real HTTP on loopback: `connections` clients each sending its next request as soon as the
   * previous one is answered, for `seconds`. Requests are prepared beforehand, so a run
   * spreads over many users and conversations. One run at a time.
   */
  run(job: HttpLoadJob): Promise<HttpLoadRun>;
  close(): Promise<void>;
}

/**
 * The load generator (undici's connection pool in a closed loop, see http-load-process.ts)
 * in a process of its own, as the API's clients are: on a thread of the server's process it
 * shared the server's garbage collector, whose helper threads then spent ~240 µs per request
 * on the server's core, four times the server's own collection. Each job says where it runs.
 */
export const startLoadGenerator = async (): Promise<LoadGenerator> => {
  const child: ChildProcess = fork(new URL('./http-load-process.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`The load generator exited (code ${String(code)}).`);
  });
  exited.catch(() => {}); // only a run or the start awaits it
  await Promise.race([once(child, 'message'), exited]);
  return {
    run: async (job) => {
      const reply = once(child, 'message').then(([message]) => message as HttpLoadReply);
      child.send(job);
      const { error, ...run } = await Promise.race([reply, exited]);
      if (error) throw new Error(error);
      return run;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill();
      await gone;
    },
  };
};
