import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CognitoVerifier } from '../../src/api/auth/cognito-verifier.js';

export interface CognitoTestPool {
  poolId: string;
  clientId: string;
  /** The API's verifier for this pool, its public key preloaded (no JWKS fetch: offline). */
  verifier: CognitoVerifier;
  /**
   * An access token as Cognito signs it; `claims` override or add to the standard ones.
   * `expiresAt`: a lifetime like '1h' or '-1m', or epoch seconds.
   */
  accessToken(claims: Record<string, unknown>, expiresAt?: string | number): Promise<string>;
  /** The pool's public keys, as Cognito serves them at `<issuer>/.well-known/jwks.json`. */
  jwks: { keys: Record<string, unknown>[] };
}

/** A stand-in Cognito user pool: a locally generated key signs what Cognito would. */
export const cognitoTestPool = async (
  poolId = 'us-east-1_TestPool1',
  clientId = 'test-client-id',
): Promise<CognitoTestPool> => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  const verifier = new CognitoVerifier(poolId, clientId);
  verifier.cacheJwks({
    keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
  } as never);
  const region = poolId.split('_')[0];
  return {
    poolId,
    clientId,
    verifier,
    accessToken: (claims, expiresAt = '1h') =>
      new SignJWT({ token_use: 'access', client_id: clientId, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(`https://cognito-idp.${region}.amazonaws.com/${poolId}`)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(keys.privateKey),
    jwks: {
      keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
    },
  };
};
