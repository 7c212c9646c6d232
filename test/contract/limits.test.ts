import { describe, expect, it } from 'vitest';
import * as contract from '../../src/contract/limits.js';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../../src/messaging/people-search.js';
import { MAX_SEARCH_LENGTH } from '../../src/messaging/search-text.js';
import {
  codePointLength,
  DEFAULT_PAGE_SIZE,
  MAX_MESSAGE_LENGTH,
  MAX_PAGE_SIZE,
  validateClientMessageId,
} from '../../src/messaging/validation.js';

/**
 * src/contract/limits.ts is what the API's schemas and the web app read. The messaging core
 * still holds its own copies (src/messaging/validation.ts, search-text.ts, people-search.ts):
 * until it imports them from the contract, this keeps the two from drifting apart.
 */
describe('the contract and the messaging core agree', () => {
  it('on the numbers', () => {
    expect({
      MAX_MESSAGE_LENGTH,
      DEFAULT_PAGE_SIZE,
      MAX_PAGE_SIZE,
      MAX_SEARCH_LENGTH,
      DEFAULT_SEARCH_LIMIT,
      MAX_SEARCH_LIMIT,
    }).toEqual({
      MAX_MESSAGE_LENGTH: contract.MAX_MESSAGE_LENGTH,
      DEFAULT_PAGE_SIZE: contract.DEFAULT_PAGE_SIZE,
      MAX_PAGE_SIZE: contract.MAX_PAGE_SIZE,
      MAX_SEARCH_LENGTH: contract.MAX_SEARCH_LENGTH,
      DEFAULT_SEARCH_LIMIT: contract.DEFAULT_SEARCH_LIMIT,
      MAX_SEARCH_LIMIT: contract.MAX_SEARCH_LIMIT,
    });
  });

  it('on which client_message_ids are taken', () => {
    const pattern = new RegExp(contract.CLIENT_MESSAGE_ID_PATTERN);
    const ids = ['a', 'web_0f', 'A-Z_09', 'x'.repeat(64), 'x'.repeat(65), '', 'a b', 'é', 'a.b'];
    for (const id of ids) {
      const core = (() => {
        try {
          validateClientMessageId(id);
          return true;
        } catch {
          return false;
        }
      })();
      expect(core, id).toBe(pattern.test(id));
    }
  });

  it('on how a length is counted', () => {
    for (const text of ['', 'abc', '🎉🎉', 'Inès', 'e\u0301', '\ud83d']) {
      expect(contract.codePointLength(text), text).toBe(codePointLength(text));
    }
  });
});
