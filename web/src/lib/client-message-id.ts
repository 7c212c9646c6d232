/**
 * An id that makes a send safe to retry: the server answers a repeat with the original
 * message. Must match CLIENT_MESSAGE_ID_PATTERN (src/contract/limits.ts): 'web_' and a UUID
 * without dashes, 36 letters, digits and underscores.
 */
export const newClientMessageId = (): string => `web_${crypto.randomUUID().replaceAll('-', '')}`;
