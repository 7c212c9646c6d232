/**
 * Where a message stands in its conversation, as the server's sort key orders messages:
 * `<created_at>#<uuid>` (created_at is fixed-width UTC, so the strings sort in time order).
 * Read positions are compared this way.
 */
export const messagePosition = (createdAt: string, uuid: string): string => `${createdAt}#${uuid}`;

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The created_at a message uuid carries: a message's uuid is a UUIDv7 whose timestamp is its
 * created_at to the millisecond (src/messaging/message-uuid.ts). Undefined for any other uuid
 * (messages written before uuids carried their time).
 */
export const createdAtOfMessageUuid = (uuid: string): string | undefined => {
  if (!V7.test(uuid)) return undefined;
  const millis = Number.parseInt(uuid.replaceAll('-', '').slice(0, 12), 16);
  return new Date(millis).toISOString();
};

/** The position a message uuid names by itself (UUIDv7), or undefined. */
export const positionOfMessageUuid = (uuid: string): string | undefined => {
  const createdAt = createdAtOfMessageUuid(uuid);
  return createdAt === undefined ? undefined : messagePosition(createdAt, uuid);
};
