import { v7 } from 'uuid';
import { messageSortKey } from './keys.js';

/**
 * A message's uuid is a UUIDv7 whose timestamp is the message's `created_at` (to the
 * millisecond), so the uuid alone names the message's sort key: `<created_at>#<uuid>`. Read
 * marks, edits and unsends take a message uuid and find the message with one GetItem instead
 * of searching its conversation.
 */
export const newMessageUuid = (createdAt: Date): string => v7({ msecs: createdAt.getTime() });

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The sort key a message uuid names, or undefined for a uuid that is not version 7 (messages
 * written before uuids carried their time: those are found by a Query of the conversation).
 */
export const sortKeyOfMessageUuid = (messageUuid: string): string | undefined => {
  if (!V7.test(messageUuid)) return undefined;
  const millis = Number.parseInt(messageUuid.replaceAll('-', '').slice(0, 12), 16);
  return messageSortKey(new Date(millis), messageUuid);
};
