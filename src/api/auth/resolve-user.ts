import { HandleTakenError, InvalidUuidError } from '../../messaging/errors.js';
import type { Messaging } from '../../messaging/messaging.js';
import type { User } from '../../messaging/model.js';
import { ApiError, UnauthorizedError } from '../errors.js';
import type { Identity } from './identity.js';

/**
 * The user behind a verified identity. Local tokens name an existing user (a token of a
 * deleted user is refused). A Cognito user seen for the first time is created from the
 * claims, `sub` becoming the uuid.
 */
export const resolveUser = async (
  messaging: Messaging,
  identity: Identity,
  createMissing: boolean,
): Promise<User> => {
  let existing: User | undefined;
  try {
    existing = await messaging.getUser(identity.subject);
  } catch (error) {
    // A subject that is not a uuid names no user; an outage stays an outage (503).
    if (error instanceof InvalidUuidError) throw new UnauthorizedError('The token names no user.');
    throw error;
  }
  if (existing) return existing;
  if (!createMissing) throw new UnauthorizedError('The token names no user.');
  const handle = handleFrom(identity.username ?? identity.subject);
  try {
    return await messaging.createUser({
      uuid: identity.subject,
      handle,
      displayName: identity.name ?? handle,
    });
  } catch (error) {
    if (error instanceof HandleTakenError) {
      throw new ApiError(
        409,
        'handle_taken',
        `The handle @${handle} belongs to another user; ask an admin.`,
      );
    }
    // Lost a race with a concurrent first request of the same user: they exist now.
    const created = await messaging.getUser(identity.subject);
    if (created) return created;
    throw error;
  }
};

/** A Cognito username may be an e-mail address: fold it into our handle alphabet. */
export const handleFrom = (username: string): string => {
  const folded = username
    .toLowerCase()
    .split('@')[0]
    ?.replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  return (folded ?? '').padEnd(3, '_');
};
