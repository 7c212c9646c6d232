/**
 * Stops what this process started, once, on normal exit paths and on SIGINT/SIGTERM.
 * (A SIGKILL is covered by DynamoDB Local's watchdog, which notices its stdin closing.)
 */
type Cleanup = () => Promise<void> | void;

const cleanups: Cleanup[] = [];
let installed = false;
let shuttingDown: Promise<void> | undefined;

export const onShutdown = (cleanup: Cleanup): void => {
  cleanups.unshift(cleanup);
  if (installed) return;
  installed = true;
  // Listen for good, not once: a terminal's Ctrl-C reaches `npm start`'s node twice (from the
  // terminal and forwarded by npm), and a second signal's default action would end the process
  // in the middle of its cleanup. Later signals join the shutdown under way.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      void shutdown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
};

/** Runs every cleanup, newest first; later calls wait for the first. */
export const shutdown = (): Promise<void> => {
  shuttingDown ??= (async () => {
    for (const cleanup of cleanups.splice(0)) {
      try {
        await cleanup();
      } catch (error) {
        console.error('cleanup failed:', error);
      }
    }
  })();
  return shuttingDown;
};
