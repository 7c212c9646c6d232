import { execFileSync } from 'node:child_process';

/**
 * Command lines of running java processes that mention `needle` (e.g. "-port 12345").
 * Throws when pgrep cannot answer (missing, bad usage, killed): a leak check that read such a
 * failure as "no java running" would pass without having looked.
 */
export const javaProcessesWith = (needle: string, { pgrep = 'pgrep' } = {}): string[] => {
  let output: string;
  try {
    output = execFileSync(pgrep, ['-af', 'java'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if (isNoMatch(error)) return [];
    throw new Error(`pgrep could not list the running processes: ${explain(error)}`, {
      cause: error,
    });
  }
  return (
    output
      .split('\n')
      // The watchdog shell's command line names the jar too; count only java itself.
      .filter((line) => line.split(' ')[1]?.endsWith('java') && line.includes('DynamoDBLocal.jar'))
      .filter((line) => line.includes(needle))
  );
};

interface ExecFailure {
  code?: string;
  status?: number | null;
  signal?: string | null;
  stdout?: string;
  stderr?: string;
}

/** pgrep's one way of saying "no process matched": exit status 1, having printed nothing. */
const isNoMatch = (error: unknown): boolean => {
  const failure = error as ExecFailure;
  return (
    failure.code === undefined &&
    failure.status === 1 &&
    failure.signal === null &&
    failure.stdout === '' &&
    failure.stderr === ''
  );
};

const explain = (error: unknown): string => {
  const failure = error as ExecFailure;
  if (failure.code) return failure.code;
  if (failure.signal) return `killed by ${failure.signal}`;
  const firstLine = failure.stderr?.trim().split('\n')[0];
  return `exit status ${failure.status}${firstLine ? `: ${firstLine}` : ''}`;
};

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export const pollUntil = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
