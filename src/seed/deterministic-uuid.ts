import { createHash } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * A name-based UUID (version 5 layout, SHA-256 instead of SHA-1): the same name always gives
 * the same uuid, so seeding twice names the same items and changes nothing.
 */
export const deterministicUuid = (name: string): string => {
  const bytes = createHash('sha256').update(`cruddur-demo:${name}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * A demo message's uuid: version 7 at its `createdAt`, as the product's own (so that it names
 * the message's sort key: a read mark of a demo message is one GetItem, not a Query of the
 * conversation), its random bits taken from `name` so that seeding twice names the same items.
 */
export const deterministicMessageUuid = (createdAt: Date, name: string): string =>
  v7({
    msecs: createdAt.getTime(),
    random: createHash('sha256').update(`cruddur-demo:${name}`).digest().subarray(0, 16),
  });
