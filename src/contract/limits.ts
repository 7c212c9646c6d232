/**
 * The HTTP API's limits and patterns: one definition for the server (its request schemas,
 * src/api/schemas.ts) and the web app (the composer's counter, the people search, the ids it
 * sends). Values only and no imports: the web app bundles this file as it is.
 */

/**
 * How long after sending its author may edit a message, by default (`EDIT_WINDOW_S`). The
 * server's own value comes to the web app in `GET /api/config`; this is what it assumes until then.
 */
export const DEFAULT_EDIT_WINDOW_SECONDS = 900;

/** The longest message, in Unicode code points (see codePointLength). */
export const MAX_MESSAGE_LENGTH = 1024;

/** Code points, as a message's length is counted: an emoji is one, as a person counts it. */
export const codePointLength = (text: string): number => {
  let length = 0;
  for (const _ of text) length++;
  return length;
};

/** `limit` of a page of conversations or messages: 1 to MAX_PAGE_SIZE, this when absent. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * What a send's `client_message_id` must match (a JSON Schema `pattern`): an id of the
 * client's making that makes a retry safe (the same id answers with the original message).
 */
export const CLIENT_MESSAGE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** People search (`GET /api/users`): the longest `q`, in code points. */
export const MAX_SEARCH_LENGTH = 64;
/** People search's `limit`: 1 to MAX_SEARCH_LIMIT, this when absent. */
export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 20;
