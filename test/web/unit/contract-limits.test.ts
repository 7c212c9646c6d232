import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, MAX_SEARCH_LIMIT } from '../../../src/contract/limits';
import { CONVERSATION_PAGE_SIZE } from '../../../web/src/features/conversations/conversations-api';
import { PEOPLE_SEARCH_LIMIT } from '../../../web/src/features/conversations/use-people-search';
import { MESSAGE_PAGE_SIZE } from '../../../web/src/features/messages/messages-api';

describe("the web app's pages and searches", () => {
  it('ask for no more than the server takes (src/contract/limits.ts)', () => {
    expect(CONVERSATION_PAGE_SIZE).toBeLessThanOrEqual(MAX_PAGE_SIZE);
    expect(MESSAGE_PAGE_SIZE).toBeLessThanOrEqual(MAX_PAGE_SIZE);
    expect(PEOPLE_SEARCH_LIMIT).toBeLessThanOrEqual(MAX_SEARCH_LIMIT);
  });
});
