import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { CognitoTestPool } from '../../support/cognito-test-pool.js';
import type { BundleSessionOptions } from './bundle-session.js';

const STAND_IN = fileURLToPath(new URL('./cognito-jwks-stand-in.mjs', import.meta.url));

/** Where aws-jwt-verify in a bundle fetches a pool's keys: <issuer>/.well-known/jwks.json */
export const jwksUrlOf = (poolId: string): string =>
  `https://cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}/.well-known/jwks.json`;

export interface CognitoJwksStandIn {
  /** The URL it answers: the pool's JWKS endpoint. */
  url: string;
  /** What to add to the bundle's environment: the stand-in's own settings. */
  env: Record<string, string>;
  /** startBundleSession's options: the stand-in preloaded (the bundle stays as deployed). */
  options: BundleSessionOptions;
  /** The URLs the stand-in answered so far, one per request. */
  fetches(): string[];
}

/**
 * Cognito's JWKS endpoint of the pool `poolId`, serving `jwks`, for a bundle run with
 * startBundleSession: cognito-jwks-stand-in.mjs, preloaded into the bundle's process, with the
 * settings it reads. Call it inside a test: its request log is removed when the test finishes.
 */
export const cognitoJwksStandIn = (
  poolId: string,
  jwks: CognitoTestPool['jwks'],
): CognitoJwksStandIn => {
  const scratch = mkdtempSync(join(tmpdir(), 'cruddur-jwks-'));
  const log = join(scratch, 'requests.log');
  writeFileSync(log, '');
  onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
  const url = jwksUrlOf(poolId);
  return {
    url,
    env: {
      COGNITO_JWKS_STAND_IN_URL: url,
      COGNITO_JWKS_STAND_IN_JWKS: JSON.stringify(jwks),
      COGNITO_JWKS_STAND_IN_LOG: log,
    },
    options: { preload: [STAND_IN] },
    fetches: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
};
