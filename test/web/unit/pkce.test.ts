import { describe, expect, it } from 'vitest';
import { challengeOf, randomToken } from '../../../web/src/features/auth/pkce';

describe('PKCE for the Cognito sign-in', () => {
  it('computes the S256 challenge: base64url of the SHA-256 of the verifier, no padding', async () => {
    // Expected value from node:crypto: createHash('sha256').update(v).digest('base64url').
    expect(await challengeOf('dBjftJeZ4CVP-mJ92ZUKb6ST8PAy2ujwZvx7lXjB-eM')).toBe(
      'qw_PGriYmlhI_acuGSzmOHvrSW9t-KalDiNZBNuw-pM',
    );
  });

  it('makes verifiers of 43 URL-safe characters, different every time', () => {
    const [a, b] = [randomToken(), randomToken()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
