import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { UnauthorizedError } from '../errors.js';
import type { Identity, TokenVerifier } from './identity.js';

/**
 * `AUTH_MODE=cognito`: Cognito access tokens, verified by aws-jwt-verify (signature against
 * the pool's JWKS, cached; issuer; `token_use=access`; client id; expiry).
 */
export class CognitoVerifier implements TokenVerifier {
  readonly #verifier;

  constructor(userPoolId: string, clientId: string) {
    this.#verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'access' });
  }

  /** Preloads the pool's public keys (offline tests); otherwise they are fetched and cached. */
  cacheJwks(jwks: Parameters<ReturnType<typeof CognitoJwtVerifier.create>['cacheJwks']>[0]): void {
    this.#verifier.cacheJwks(jwks);
  }

  async verify(token: string): Promise<Identity> {
    try {
      const payload = await this.#verifier.verify(token);
      const claims = payload as Record<string, unknown>;
      return {
        subject: payload.sub,
        username: stringClaim(claims.preferred_username) ?? stringClaim(claims.username),
        name: stringClaim(claims.name),
        expiresAt: payload.exp,
      };
    } catch {
      throw new UnauthorizedError('The token is invalid or expired.');
    }
  }
}

const stringClaim = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
