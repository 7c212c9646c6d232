import {
  CLIENT_MESSAGE_ID_PATTERN,
  codePointLength,
  DEFAULT_PAGE_SIZE,
  MAX_MESSAGE_LENGTH,
  MAX_PAGE_SIZE,
} from '../contract/limits.js';
import {
  InvalidClientMessageIdError,
  InvalidDisplayNameError,
  InvalidHandleError,
  InvalidLimitError,
  InvalidTextError,
  InvalidUuidError,
  MessageBlankError,
  MessageTooLongError,
} from './errors.js';

// The API's limits are the contract's (shared with the web app); the core enforces them.
export { codePointLength, DEFAULT_PAGE_SIZE, MAX_MESSAGE_LENGTH, MAX_PAGE_SIZE };

const HANDLE = /^[a-z0-9_]{3,30}$/;
const CLIENT_MESSAGE_ID = new RegExp(CLIENT_MESSAGE_ID_PATTERN);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** With the `u` flag a surrogate pair is one code point, so this finds only unpaired halves. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

const wellFormed = (text: string, what: string): string => {
  if (UNPAIRED_SURROGATE.test(text)) throw new InvalidTextError(what);
  return text;
};

/** Handles are unique case-insensitively, so the lower-cased form is the handle. */
export const normalizeHandle = (raw: string): string => {
  const handle = raw.trim().replace(/^@/, '').toLowerCase();
  if (!HANDLE.test(handle)) throw new InvalidHandleError();
  return handle;
};

export const normalizeDisplayName = (raw: string): string => {
  const name = wellFormed(raw.trim(), 'display name');
  const length = codePointLength(name);
  if (length < 1 || length > 64) throw new InvalidDisplayNameError();
  return name;
};

export const normalizeMessageText = (raw: string): string => {
  const text = raw.trim();
  if (text.length === 0) throw new MessageBlankError();
  wellFormed(text, 'message');
  const length = codePointLength(text);
  if (length > MAX_MESSAGE_LENGTH) throw new MessageTooLongError(MAX_MESSAGE_LENGTH, length);
  return text;
};

export const validateClientMessageId = (id: string): string => {
  if (!CLIENT_MESSAGE_ID.test(id)) throw new InvalidClientMessageIdError();
  return id;
};

/** UUIDs are stored lower case; anything else cannot name an item of ours. */
export const normalizeUuid = (raw: string, what: string): string => {
  const uuid = raw.toLowerCase();
  if (!UUID.test(uuid)) throw new InvalidUuidError(what);
  return uuid;
};

export const normalizeLimit = (limit: number | undefined): number => {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidLimitError(MAX_PAGE_SIZE);
  }
  return limit;
};
