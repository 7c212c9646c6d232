import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNNER = fileURLToPath(new URL('./bundle-session.mjs', import.meta.url));

export interface BundleSession {
  /** The handler's result for `event`; rejects with the error the handler threw. */
  invoke(event: unknown): Promise<unknown>;
  /** Ends the process (stdin closed: the runner's loop ends) and waits for it to exit. */
  close(): Promise<void>;
}

export interface BundleSessionOptions {
  /**
   * Modules the process loads before the bundle (`node --import`), e.g. a stand-in for a
   * network service the bundle calls (cognito-jwks-stand-in.mjs). The bundle stays as deployed.
   */
  preload?: readonly string[];
}

/**
 * The bundle's `handler` in a Node process of its own, as invokeBundle runs it (one warm
 * container; `env` added to this process's environment, undefined removes a variable), taking
 * one event at a time. `exportName`: another export of a bundle that serves two functions
 * (src/realtime/lambda.ts: `authorizer` and `handler`), as a function's Handler setting names it.
 */
export const startBundleSession = (
  file: string,
  env: Record<string, string | undefined>,
  exportName = 'handler',
  { preload = [] }: BundleSessionOptions = {},
): BundleSession => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const imports = preload.flatMap((module) => ['--import', pathToFileURL(module).href]);
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', ...imports, RUNNER, file, exportName],
    {
      env: childEnv,
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiting: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  const answers = createInterface({ input: child.stdio[3] as Readable });
  answers.on('line', (line) => {
    const answer = JSON.parse(line) as { result?: unknown; error?: string };
    const next = waiting.shift();
    if (answer.error === undefined) next?.resolve(answer.result);
    else next?.reject(new Error(answer.error));
  });
  let exit: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = new Error(`${file} exited (${signal ?? code}) before answering: ${stderr}`);
      for (const pending of waiting.splice(0)) pending.reject(exit);
      resolve();
    });
  });
  // A write to a process that has exited: the exit above already answers for it.
  child.stdin?.on('error', () => {});
  return {
    invoke: (event) =>
      new Promise((resolve, reject) => {
        if (exit) return reject(exit);
        waiting.push({ resolve, reject });
        child.stdin?.write(`${JSON.stringify(event)}\n`);
      }),
    close: async () => {
      child.stdin?.end();
      await exited;
    },
  };
};
