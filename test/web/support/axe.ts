import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type axe from 'axe-core';
import type { Page } from 'playwright-core';

// The minified build: the page parses it after every navigation, and `axe.source` (the
// unminified one) is more than twice as long.
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** The rule sets every page must pass: WCAG 2.0 and 2.1, A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] as const;

/** One rule's failure, the way a reader of a test's output needs it. */
export interface AxeFinding {
  id: string;
  impact: string;
  summary: string;
  helpUrl: string;
  nodes: { target: string; why: string }[];
}

type PageWithAxe = { axe?: typeof axe };

/**
 * Runs axe-core in the page as it is now, with every rule of AXE_TAGS, and returns its
 * violations of every impact (minor included). axe is injected with `page.evaluate` when the
 * page does not have it yet (a navigation drops it): an evaluated script is not subject to the
 * app's Content-Security-Policy, which refuses inline <script> tags.
 */
export const axeFindings = async (page: Page): Promise<AxeFinding[]> => {
  const injected = await page.evaluate(
    () => (globalThis as unknown as PageWithAxe).axe !== undefined,
  );
  if (!injected) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) =>
      (globalThis as unknown as Required<PageWithAxe>).axe.run({
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    [...AXE_TAGS],
  );
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? 'unknown',
    summary: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String).join(' '),
      why: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  }));
};

/** "color-contrast (serious): Elements must meet ... \n  .avatar: Fix any of ..." per finding. */
export const describeFindings = (label: string, findings: readonly AxeFinding[]): string =>
  [
    `${label}: ${findings.length} axe ${findings.length === 1 ? 'violation' : 'violations'}`,
    ...findings.map((finding) =>
      [
        `- ${finding.id} (${finding.impact}): ${finding.summary} <${finding.helpUrl}>`,
        ...finding.nodes.map((node) => `    ${node.target}: ${node.why}`),
      ].join('\n'),
    ),
  ].join('\n');

/**
 * Fails, listing each violation's rule id, impact, elements and summary, when axe finds
 * anything in the page as it is now, whatever the impact.
 */
export const expectNoAxeViolations = async (page: Page, label: string): Promise<void> => {
  const findings = await axeFindings(page);
  if (findings.length > 0) throw new Error(describeFindings(label, findings));
};

/**
 * The same check in the light and then the dark colour scheme (`prefers-color-scheme`
 * emulated: the stylesheet swaps its colour variables at once, with nothing reloaded, so the
 * page stays in the state the test put it in). Both schemes are checked before failing, so that
 * one run reports everything.
 */
export const expectNoAxeViolationsInBothSchemes = async (
  page: Page,
  label: string,
): Promise<void> => {
  const reports: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // The check is only worth something if the page really is in that scheme now.
    const dark = await page.evaluate(
      () =>
        (globalThis as unknown as { matchMedia(query: string): { matches: boolean } }).matchMedia(
          '(prefers-color-scheme: dark)',
        ).matches,
    );
    if (dark !== (colorScheme === 'dark'))
      throw new Error(`${label}: not in the ${colorScheme} scheme`);
    const findings = await axeFindings(page);
    if (findings.length > 0) reports.push(describeFindings(`${label} [${colorScheme}]`, findings));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (reports.length > 0) throw new Error(reports.join('\n\n'));
};
