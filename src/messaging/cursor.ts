import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './errors.js';
import { parseMessageSortKey } from './keys.js';

/**
 * Opaque pagination cursors. A cursor carries only the sort key where the next page starts;
 * the partition always comes from the caller's own listing, so no cursor can read another
 * partition. It is signed with the listing's scope (who asked, for what), so a cursor
 * issued for one listing is rejected by every other one instead of silently jumping.
 */
export interface CursorCodec {
  encode(scope: string, sk: string): string;
  /** Returns the sort key, or throws InvalidCursorError. */
  decode(scope: string, cursor: string): string;
}

const MAX_CURSOR_LENGTH = 256;

export const createCursorCodec = (secret: Uint8Array = randomBytes(32)): CursorCodec => {
  const sign = (scope: string, payload: string): Buffer =>
    createHmac('sha256', secret).update(scope).update('\n').update(payload).digest();

  return {
    encode(scope, sk) {
      const payload = Buffer.from(sk, 'utf8').toString('base64url');
      return `${payload}.${sign(scope, payload).toString('base64url')}`;
    },
    decode(scope, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError();
      const [payload, signature, ...rest] = cursor.split('.');
      if (!payload || !signature || rest.length > 0) throw new InvalidCursorError();
      const expected = sign(scope, payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InvalidCursorError();
      }
      const sk = Buffer.from(payload, 'base64url').toString('utf8');
      if (!parseMessageSortKey(sk)) throw new InvalidCursorError();
      return sk;
    },
  };
};
