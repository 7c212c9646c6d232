// Tests run on Node 20 on purpose; the SDK's notice about Node 22 would only clutter them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // What a poll waits for crosses the stream (50 ms polls, busy windows) on a machine
    // that runs browsers, Java and the servers at once: 1 s (Vitest's default) is a flake.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/load/**', 'test/web/lighthouse.test.ts', '**/node_modules/**'],
        },
      },
      // A phone's page load, simulated from this machine's main thread: measured alone, after
      // the rest, as the load test is. Beside 800 other tests on 2 cores, one run in a few lost
      // 5 to 10 points of blocking time to tasks descheduled mid-way.
      { extends: true, test: { name: 'lighthouse', include: ['test/web/lighthouse.test.ts'] } },
      // 32 senders for 60 s: run alone, after the rest, so that nothing else skews it.
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'] } },
    ],
  },
});
