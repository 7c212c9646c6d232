import { execFileSync } from 'node:child_process';

/** Command lines of running java processes that mention `needle` (e.g. "-port 12345"). */
export const javaProcessesWith = (needle: string): string[] => {
  try {
    return (
      execFileSync('pgrep', ['-af', 'java'], { encoding: 'utf8' })
        .split('\n')
        // The watchdog shell's command line names the jar too; count only java itself.
        .filter(
          (line) => line.split(' ')[1]?.endsWith('java') && line.includes('DynamoDBLocal.jar'),
        )
        .filter((line) => line.includes(needle))
    );
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
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
