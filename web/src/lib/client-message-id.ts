/**
 * An id that makes a send safe to retry: the server answers a repeat with the original
 * message. Must match [A-Za-z0-9_-]{1,64}; a UUID without dashes is 32 such characters.
 */
export const newClientMessageId = (): string => `web_${crypto.randomUUID().replaceAll('-', '')}`;
