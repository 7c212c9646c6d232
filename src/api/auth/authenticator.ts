import { BoundedCache } from '../../messaging/bounded-cache.js';
import type { Messaging } from '../../messaging/messaging.js';
import type { User } from '../../messaging/model.js';
import type { ApiContext } from '../context.js';
import type { Identity, TokenVerifier } from './identity.js';
import { resolveUser } from './resolve-user.js';

/** How long a signed-in user's profile is trusted without reading it again. */
const PROFILE_TTL_MS = 60_000;

/**
 * Bearer token → user. A token whose signature was checked is remembered (the same string
 * carries the same signature) until it expires, for a minute at most; the profile behind it
 * likewise. A busy client then pays neither a signature check nor a GetItem per request: the
 * read alone doubled the latency of patterns A and B in `npm run bench`.
 */
export class Authenticator {
  readonly #users = new BoundedCache<User>(10_000, PROFILE_TTL_MS);
  readonly #tokens = new BoundedCache<Identity>(10_000, PROFILE_TTL_MS);

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly messaging: Messaging,
    private readonly createMissing: boolean,
  ) {}

  async authenticate(token: string): Promise<User> {
    const identity = await this.#verified(token);
    const cached = this.#users.get(identity.subject);
    if (cached) return cached;
    const user = await resolveUser(this.messaging, identity, this.createMissing);
    this.#users.set(identity.subject, user);
    return user;
  }

  async #verified(token: string): Promise<Identity> {
    const known = this.#tokens.get(token);
    if (known && known.expiresAt * 1000 > Date.now()) return known;
    const identity = await this.verifier.verify(token);
    this.#tokens.set(token, identity);
    return identity;
  }
}

const byContext = new WeakMap<object, Authenticator>();

/**
 * The one authenticator of an API context: the HTTP routes and the local gateway's
 * authorizer share its caches, so a tab that signs in pays one signature check for both.
 */
export const authenticatorOf = (
  context: Pick<ApiContext, 'verifier' | 'messaging' | 'authMode'>,
): Authenticator => {
  let authenticator = byContext.get(context);
  if (!authenticator) {
    authenticator = new Authenticator(
      context.verifier,
      context.messaging,
      context.authMode === 'cognito',
    );
    byContext.set(context, authenticator);
  }
  return authenticator;
};
