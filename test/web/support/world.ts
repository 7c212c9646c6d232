import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  type RunningServer,
  SERVER_START_TIMEOUT_MS,
  startServer,
} from '../../support/product-server.js';
import { type LaunchOptions, launchBrowser } from './browser.js';

/** A test file's world: the product as `npm start` runs it, and one Chromium, both stopped after. */
export const withProductAndBrowser = (
  browserOptions: LaunchOptions = {},
): {
  readonly server: RunningServer;
  readonly browser: Browser;
} => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(browserOptions);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet');
      return browser;
    },
  };
};
