import { BoundedCache } from '../../messaging/bounded-cache.js';
import type { Messaging } from '../../messaging/messaging.js';
import type { User } from '../../messaging/model.js';
import type { TokenVerifier } from './identity.js';
import { resolveUser } from './resolve-user.js';

/** How long a signed-in user's profile is trusted without reading it again. */
const PROFILE_TTL_MS = 60_000;

/**
 * Bearer token → user. The token is verified on every request; the profile read behind it
 * is remembered for a minute, so that a busy client does not pay a GetItem per request (that
 * read doubled the latency of patterns A and B in `npm run bench`).
 */
export class Authenticator {
  readonly #users = new BoundedCache<User>(10_000, PROFILE_TTL_MS);

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly messaging: Messaging,
    private readonly createMissing: boolean,
  ) {}

  async authenticate(token: string): Promise<User> {
    const identity = await this.verifier.verify(token);
    const cached = this.#users.get(identity.subject);
    if (cached) return cached;
    const user = await resolveUser(this.messaging, identity, this.createMissing);
    this.#users.set(identity.subject, user);
    return user;
  }
}
