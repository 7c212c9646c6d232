import { prefetchFirstMessageGroups } from '../features/conversations/conversations-api';
import { prefetchFirstMessages } from '../features/messages/messages-api';
import { createApiClient } from '../lib/api-client';
import { earlyRequestsSettled } from '../lib/early-requests';
import { paths } from '../lib/paths';
import { readStoredSession } from '../lib/session-storage';
import { onDemandModule } from './on-demand-module';

// The app's first script. index.html runs it as soon as it has come (async: web/vite.config.ts),
// while the entry script, most of what the page downloads, is still on its way; the entry
// imports it too, and a module runs once. It holds no React and nothing of the router, only
// what it needs to start requests.

/** The signed-in screens: one chunk, fetched when first shown (router.tsx), or started here. */
export const messagesScreens = onDemandModule(() => import('./routes/messages-screens'));

/** The conversation a messages address names, if any: `/messages/{uuid}`. */
const conversationIn = (pathname: string): string | null => {
  const prefix = paths.conversation('');
  const rest = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
  if (rest === '' || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
};

/**
 * Opened signed in at a messages address (a reload, a link, a new tab): the screens' chunk and
 * the first pages they show are asked for now, all together and beside the entry script,
 * rather than one after the other as each part comes and renders (the screens take those
 * answers: lib/early-requests.ts).
 */
const startMessagesEarly = (): Promise<void> | null => {
  const { pathname } = window.location;
  const session = pathname.startsWith(paths.messages) ? readStoredSession() : null;
  if (!session) return null;
  // Only the token: a refusal is left to the screens' own requests, which sign out or renew.
  const api = createApiClient({ getToken: () => session.token, onUnauthorized: () => {} });
  const conversation = conversationIn(pathname);
  if (conversation) prefetchFirstMessages(api, conversation);
  prefetchFirstMessageGroups(api);
  const chunk = messagesScreens.load().catch(() => undefined); // the screen itself reports a failure
  // Dates are formatted with Intl, whose first use starts the browser's ICU: about 100 ms of
  // main thread here, whatever the format (lib/format-time.ts's formatters then take well
  // under 1 ms each). Done now, while the entry script downloads and the page has nothing
  // else to do; left to the screens it lands between their first render and the next, a long
  // task right where a phone's user starts reading. After the requests, which it would delay.
  Intl.DateTimeFormat().resolvedOptions();
  return Promise.all([chunk, earlyRequestsSettled()]).then(() => undefined);
};

/**
 * Settles once what the boot script started (the screens' chunk, the first pages) has come or
 * failed; null when it started nothing (not signed in, or not at a messages address).
 */
export const bootRequestsSettled = startMessagesEarly();
