import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

/**
 * Generated once per data dir and kept beside the data: the dev issuer's signing key (so
 * tokens survive a restart) and the cursor secret (so do pagination cursors). The key is made
 * by the caller's `generateIssuerJwk` (the API's `LocalIssuer.generateJwk`): src/local/ imports
 * no edge (docs/architecture.md, folder rules).
 */
export interface LocalSecrets {
  issuerJwk: JWK;
  cursorSecret: Buffer;
}

interface SecretsFile {
  issuer_jwk: JWK;
  cursor_secret: string;
}

export const loadOrCreateLocalSecrets = async (
  dataDir: string,
  generateIssuerJwk: () => Promise<JWK>,
): Promise<LocalSecrets> => {
  const path = join(dataDir, 'secrets.json');
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as SecretsFile;
    return { issuerJwk: file.issuer_jwk, cursorSecret: Buffer.from(file.cursor_secret, 'base64') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: LocalSecrets = {
    issuerJwk: await generateIssuerJwk(),
    cursorSecret: randomBytes(32),
  };
  mkdirSync(dataDir, { recursive: true });
  const file: SecretsFile = {
    issuer_jwk: secrets.issuerJwk,
    cursor_secret: secrets.cursorSecret.toString('base64'),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return secrets;
};
