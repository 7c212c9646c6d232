import { loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/local/free-port.js';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { type Audit, CATEGORIES, type Category, lighthouseAudit } from './support/lighthouse.js';
import { withProductAndBrowser } from './support/world.js';

// Lighthouse as a new user on a phone would meet the app (issue 20): its default mobile run
// (simulated slow 4G and a slower CPU) of the sign-in page and of an open conversation, on
// the Chromium the web tests launch, reached over its DevTools port.

const debuggingPort = await freePort();
const world = withProductAndBrowser({ debuggingPort });

/** What the app stores in sessionStorage once signed in (web/src/lib/session-storage.ts). */
const SESSION_KEY = 'cruddur-messaging.session';

/** Issue 20's bar for the performance score, on both pages. */
const PERFORMANCE_AT_LEAST = 95;

type Run = (categories: readonly Category[]) => Promise<Audit>;

/** One run as logged and shown on failure: scores, metrics, load, and what cost points. */
const reportOf = (page: string, run: number, audit: Audit): string => {
  const load = loadavg().map((figure) => figure.toFixed(1));
  const figures = `${JSON.stringify(audit.scores)} ${JSON.stringify(audit.metrics)}`;
  return [`${page} #${run} (load ${load.join(' ')}): ${figures}`, ...audit.failing].join('\n');
};

/** Runs of a page at most, whose median is held to the bar. */
const RUNS = 5;
/** The median of RUNS is at or above the bar once this many runs are, below it once this many are not. */
const DECIDING = Math.ceil(RUNS / 2);

/**
 * Accessibility and best practices at 100, and no layout shift worth the name, on the first
 * run; then performance at least 95 as the median of five runs, as Lighthouse's own guidance
 * on variability advises (docs/variability.md: the median of 5 runs is about twice as stable
 * as one). The score is simulated from one load (Lighthouse's 'simulate' throttling) but from
 * the main thread's tasks as this machine ran them, and on a shared 2-core machine a task is
 * sometimes descheduled mid-way: one run in a few loses points that the next does not. Runs
 * stop once the median is decided (three at or above the bar, or three below).
 */
const expectScores = async (page: string, run: Run) => {
  const first = await run(CATEGORIES);
  const report = reportOf(page, 1, first);
  console.info(report);
  expect(first.scores.accessibility, report).toBe(100);
  expect(first.scores['best-practices'], report).toBe(100);
  expect(first.metrics.cls, report).toBeLessThanOrEqual(0.1);

  const performance = [first.scores.performance ?? 0];
  const runs = [report];
  const passes = () => performance.filter((score) => score >= PERFORMANCE_AT_LEAST).length;
  while (passes() < DECIDING && performance.length - passes() < DECIDING) {
    const next = await run(['performance']);
    performance.push(next.scores.performance ?? 0);
    runs.push(reportOf(page, performance.length, next));
    console.info(runs.at(-1));
    expect(next.metrics.cls, runs.at(-1)).toBeLessThanOrEqual(0.1);
  }
  expect(
    passes(),
    `${page}: performance ${performance.join(', ')} (the median of ${RUNS} must be ${PERFORMANCE_AT_LEAST} or more)\n${runs.join('\n')}`,
  ).toBeGreaterThanOrEqual(DECIDING);
};

describe(`Lighthouse, mobile: accessibility and best practices 100, performance ${PERFORMANCE_AT_LEAST}+`, {
  // Three to five runs a page, 10 to 25 s each on this machine.
  timeout: 240_000,
}, () => {
  it('on the sign-in page', async () => {
    await expectScores('/signin', (categories) =>
      lighthouseAudit(debuggingPort, `${world.server.url}/signin`, {}, categories),
    );
  });

  it('on a conversation', async () => {
    const [ada, bea] = await Promise.all([
      createUser(world.server, 'ada'),
      createUser(world.server, 'bea'),
    ]);
    const [adaToken, beaToken] = await Promise.all([
      tokenFor(world.server, ada.handle),
      tokenFor(world.server, bea.handle),
    ]);
    const { message_group_uuid: group } = await sendMessage(world.server, beaToken, {
      handle: ada.handle,
      message: 'Are we still on for the climbing wall at 8?',
    });
    await sendMessage(world.server, adaToken, {
      message_group_uuid: group,
      message: 'Yes! Bring the chalk bag',
    });
    const session = JSON.stringify({ token: adaToken, user: ada });
    await expectScores('a conversation', (categories) =>
      lighthouseAudit(
        debuggingPort,
        `${world.server.url}/messages/${group}`,
        { [SESSION_KEY]: session },
        categories,
      ),
    );
  });
});
