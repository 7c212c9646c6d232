import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// Debian's Chromium: `npx playwright install` cannot download a browser on this machine.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface LaunchOptions {
  /** Also listen for the DevTools protocol on this loopback port (Lighthouse connects there). */
  debuggingPort?: number | undefined;
}

export const launchBrowser = ({ debuggingPort }: LaunchOptions = {}): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      ...(debuggingPort === undefined ? [] : [`--remote-debugging-port=${debuggingPort}`]),
    ],
    headless: true,
  });

export interface PersonOptions {
  viewport?: { width: number; height: number };
}

/**
 * A fresh browser profile: its own sessionStorage, so one context is one signed-in person.
 * A fixed locale and a time zone away from UTC make the local-time display visible.
 */
export const newPerson = async (
  browser: Browser,
  baseURL: string,
  { viewport = { width: 1280, height: 800 } }: PersonOptions = {},
): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    reducedMotion: 'reduce',
  });
  // Generous: a CI machine with 2 cores runs DynamoDB Local, the server and Chromium at once.
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
};
