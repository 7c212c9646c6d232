import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { User } from '../../messaging/model.js';
import { UnauthorizedError } from '../errors.js';
import type { Identity, TokenVerifier } from './identity.js';

export const LOCAL_ISSUER = 'cruddur-local-dev';
export const LOCAL_AUDIENCE = 'cruddur-messaging';
const ALGORITHM = 'ES256';
const LIFETIME = '12h';

type Key = Awaited<ReturnType<typeof importJWK>>;

/**
 * The dev sign-in of `AUTH_MODE=local`: signs ES256 tokens with a key generated once per data
 * dir, and verifies only those (issuer, audience, algorithm and expiry all checked, so an
 * `alg: none` or HS256 token is refused).
 */
export class LocalIssuer implements TokenVerifier {
  private constructor(
    private readonly privateKey: Key,
    private readonly publicKey: Key,
  ) {}

  static async generateJwk(): Promise<JWK> {
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    return exportJWK(privateKey);
  }

  static async fromJwk(jwk: JWK): Promise<LocalIssuer> {
    const privateKey = await importJWK({ ...jwk, alg: ALGORITHM }, ALGORITHM);
    const { d: _private, ...publicJwk } = jwk;
    const publicKey = await importJWK({ ...publicJwk, alg: ALGORITHM }, ALGORITHM);
    return new LocalIssuer(privateKey, publicKey);
  }

  /** `expiresAt`: a lifetime like '12h', or epoch seconds (tests make expired tokens with it). */
  issue(user: User, expiresAt: string | number = LIFETIME): Promise<string> {
    return new SignJWT({ username: user.handle, name: user.displayName })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(user.uuid)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.privateKey);
  }

  async verify(token: string): Promise<Identity> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        requiredClaims: ['sub', 'exp'],
      });
      return { subject: payload.sub as string, expiresAt: payload.exp as number };
    } catch {
      throw new UnauthorizedError('The token is invalid or expired.');
    }
  }
}
