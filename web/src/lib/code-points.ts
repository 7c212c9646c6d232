/** The server's limit on a message, in Unicode code points (src/messaging/validation.ts). */
export const MAX_MESSAGE_LENGTH = 1024;

/** Code points, as the server counts: an emoji is one, as a person counts it. */
export const codePointLength = (text: string): number => [...text].length;
