import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/local/free-port.js';
import { startBenchDynamo } from './local-table.js';
import { type CountingProxy, startCountingProxy } from './realtime-dynamo-proxy.js';

/**
 * The realtime benchmark's product: `node --import tsx src/main.ts` (what `npm start` runs)
 * in a process of its own, with a temporary DATA_DIR, a free PORT, SEED=0 and no request logs,
 * its DynamoDB requests going through the counting proxy to an in-memory DynamoDB Local that
 * this process owns (`DYNAMODB_ENDPOINT`; the stream consumer, the gateway and the push run in
 * the server exactly as under `npm start`). `stop` ends both, and runs once however it is
 * reached: normal end, an error, SIGINT or SIGTERM.
 */
export interface RealtimeServer {
  baseUrl: string;
  pid: number;
  proxy: CountingProxy;
  /** Lines the server wrote to stderr (its console.error: failed pushes and the like). */
  errors: string[];
  /** VmRSS of the server process, in KiB (Linux /proc). */
  rssKiB(): number;
  /** CPU time (user + system, µs) so far of the server, DynamoDB Local's JVM and this process. */
  cpuMicros(): { server: number; database: number; bench: number };
  /** False with RT_PROXY=0: DynamoDB requests go straight to DynamoDB Local, uncounted. */
  counting: boolean;
  stop(): Promise<void>;
}

const READY = /is ready at/;
/** USER_HZ: the unit of /proc/<pid>/stat's times on Linux. */
const TICK_MICROS = 10_000;

const processMicros = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return Number.NaN;
  }
};
const START_TIMEOUT_MS = 90_000;

export const startRealtimeServer = async (
  log: (line: string) => void,
  extraEnv: Record<string, string> = {},
): Promise<RealtimeServer> => {
  const dynamo = await startBenchDynamo();
  let proxy: CountingProxy | undefined;
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-realtime-'));
  const errors: string[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await proxy?.close().catch(() => undefined);
      await dynamo.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the server and DynamoDB Local`);
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const endpoint = dynamo.connection.endpoint;
    if (!endpoint) throw new Error('DynamoDB Local has no endpoint');
    proxy = await startCountingProxy(endpoint);
    const counting = process.env.RT_PROXY !== '0';
    const port = await freePort();
    child = spawn(
      process.execPath,
      [...(process.env.RT_SERVER_NODE_ARGS?.split(' ') ?? []), '--import', 'tsx', 'src/main.ts'],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          SEED: '0',
          LOG_LEVEL: 'silent',
          DYNAMODB_ENDPOINT: counting ? proxy.endpoint : endpoint,
          DDB_TARGET: '',
          AUTH_MODE: 'local',
          // The benchmark's senders send more than a person may (120 a minute by default).
          SEND_RATE_LIMIT: '0',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const server = child;
    let stderrTail = '';
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-4_000);
      for (const line of text.split('\n')) if (line.trim()) errors.push(line);
    });
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`the server was not ready within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      server.stdout?.setEncoding('utf8');
      server.stdout?.on('data', (text: string) => {
        stdout = (stdout + text).slice(-4_000);
        if (READY.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(`the server exited (${code ?? signal}) before it was ready:\n${stderrTail}`),
        );
      });
    });
    // After start-up, only errors matter: the ready line and `stopped` are expected.
    server.stdout?.resume();
    const pid = server.pid as number;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      pid,
      proxy,
      errors,
      rssKiB: () => {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
      },
      cpuMicros: () => {
        const own = process.cpuUsage();
        return {
          server: processMicros(pid),
          database: processMicros(dynamo.databasePid),
          bench: own.user + own.system,
        };
      },
      counting,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
