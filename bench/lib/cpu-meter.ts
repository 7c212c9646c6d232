import { readFileSync } from 'node:fs';

/** CPU time spent (µs) while a run lasted, by this process and by DynamoDB Local's JVM. */
export interface CpuSpent {
  node: number;
  database: number;
}

/** USER_HZ: the unit of /proc/<pid>/stat's times on Linux. */
const TICK_MICROS = 10_000;

/** User + system time of a process so far (µs), from Linux's /proc; 0 elsewhere. */
const processMicros = (pid: number | undefined): number => {
  if (pid === undefined || process.platform !== 'linux') return 0;
  try {
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return 0;
  }
};

/**
 * Starts counting CPU time: of this process (the API server or the bare loop) and of the
 * database's JVM. Where the cores are saturated, latency is CPU per request, and this says
 * whose.
 */
export const startCpuMeter = (databasePid: number | undefined): (() => CpuSpent) => {
  const node = process.cpuUsage();
  const database = processMicros(databasePid);
  return () => {
    const spent = process.cpuUsage(node);
    return { node: spent.user + spent.system, database: processMicros(databasePid) - database };
  };
};
