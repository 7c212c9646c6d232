import { describe, expect, it } from 'vitest';
import {
  type ConversationState,
  conversationReducer,
  initialConversationState,
  seenMessageUuid,
} from '../../../web/src/features/messages/conversation-state';
import { failureOf, type PendingMessage } from '../../../web/src/features/messages/pending-message';
import { ApiError } from '../../../web/src/lib/api-error';
import type { Message } from '../../../web/src/lib/api-types';

const message = (uuid: string, second: number, text = `text ${uuid}`, mine = false): Message => ({
  uuid,
  user_uuid: mine ? 'me' : 'them',
  handle: mine ? 'me' : 'them',
  display_name: mine ? 'Me' : 'Them',
  message: text,
  created_at: `2026-11-26T10:00:${String(second).padStart(2, '0')}.000Z`,
  edited_at: null,
  deleted: false,
});

const pending = (clientMessageId: string, text: string): PendingMessage => ({
  clientMessageId,
  text,
  createdAt: '2026-11-26T10:00:59.000Z',
  status: 'sending',
  error: null,
  retryable: true,
});

const ready = (messages: Message[], olderCursor: string | null = null): ConversationState =>
  conversationReducer(initialConversationState([], 'loading'), {
    type: 'first_page_loaded',
    page: { messages, next_cursor: olderCursor, other_last_read_message_uuid: null },
  });

const texts = (state: ConversationState) => state.messages.map((m) => m.message);

describe('conversationReducer', () => {
  it('keeps messages in order and each once, whatever brings them', () => {
    let state = ready([message('b', 2), message('c', 3)], 'older');
    state = conversationReducer(state, { type: 'pushed', message: message('c', 3), mine: false });
    state = conversationReducer(state, {
      type: 'older_loaded',
      page: {
        messages: [message('a', 1), message('b', 2)],
        next_cursor: null,
        other_last_read_message_uuid: null,
      },
    });
    state = conversationReducer(state, { type: 'pushed', message: message('d', 4), mine: false });
    expect(state.messages.map((m) => m.uuid)).toEqual(['a', 'b', 'c', 'd']);
    expect(state.olderCursor).toBeNull();
  });

  it('holds back my pushed message while my send is in flight: it is shown once', () => {
    const sent = message('s', 5, 'hi', true);
    let state = ready([message('a', 1)]);
    state = conversationReducer(state, { type: 'send_started', pending: pending('c1', 'hi') });
    // The push overtakes the answer of the POST.
    state = conversationReducer(state, { type: 'pushed', message: sent, mine: true });
    expect(texts(state)).toEqual(['text a']);
    expect(state.pending).toHaveLength(1);
    state = conversationReducer(state, {
      type: 'send_succeeded',
      clientMessageId: 'c1',
      message: sent,
    });
    expect(texts(state)).toEqual(['text a', 'hi']);
    expect(state.pending).toHaveLength(0);
    expect(state.heldBack).toHaveLength(0);
  });

  it('holds a delivered message whose answer was lost until the retry or the discard', () => {
    const delivered = message('s', 5, 'lost answer', true);
    let state = ready([]);
    state = conversationReducer(state, {
      type: 'send_started',
      pending: pending('c1', 'lost answer'),
    });
    state = conversationReducer(state, {
      type: 'send_failed',
      clientMessageId: 'c1',
      error: 'Cannot reach the server.',
      retryable: true,
    });
    state = conversationReducer(state, { type: 'pushed', message: delivered, mine: true });
    expect(texts(state)).toEqual([]); // the failed copy stands in for it

    const retried = conversationReducer(state, {
      type: 'send_succeeded',
      clientMessageId: 'c1',
      message: delivered, // same client_message_id: the original message
    });
    expect(texts(retried)).toEqual(['lost answer']);

    const discarded = conversationReducer(state, { type: 'discarded', clientMessageId: 'c1' });
    expect(texts(discarded)).toEqual(['lost answer']); // it was delivered after all
  });

  it('remembers a send refused because of a block until a send goes through or I unblock', () => {
    const blocked = failureOf(
      new ApiError(403, 'blocked', 'You cannot send messages in this conversation.'),
    );
    expect(blocked).toEqual({
      error: 'You cannot send messages in this conversation.',
      retryable: true, // the block may be lifted: Retry tells
      blocked: true,
    });
    expect(failureOf(new ApiError(0, 'network_error', 'Cannot reach the server.')).blocked).toBe(
      false,
    );

    let state = ready([]);
    expect(state.sendBlocked).toBe(false);
    state = conversationReducer(state, { type: 'send_started', pending: pending('c1', 'hi') });
    state = conversationReducer(state, { type: 'send_failed', clientMessageId: 'c1', ...blocked });
    expect(state.sendBlocked).toBe(true);
    expect(state.pending[0]).toMatchObject({ status: 'failed', retryable: true });
    // Another failure (the network) does not make it forget.
    state = conversationReducer(state, { type: 'send_started', pending: pending('c2', 'ho') });
    state = conversationReducer(state, {
      type: 'send_failed',
      clientMessageId: 'c2',
      error: 'Cannot reach the server.',
      retryable: true,
    });
    expect(state.sendBlocked).toBe(true);

    const cleared = conversationReducer(state, { type: 'send_block_cleared' });
    expect(cleared.sendBlocked).toBe(false);
    const sent = conversationReducer(state, {
      type: 'send_succeeded',
      clientMessageId: 'c1',
      message: message('s', 5, 'hi', true),
    });
    expect(sent.sendBlocked).toBe(false);
  });

  it('shows my messages from another device at once when nothing is pending', () => {
    const state = conversationReducer(ready([]), {
      type: 'pushed',
      message: message('x', 1, 'from my phone', true),
      mine: true,
    });
    expect(texts(state)).toEqual(['from my phone']);
  });

  it('after a reconnect, starts over when the fresh page does not reach what is shown', () => {
    const state = ready([message('a', 1), message('b', 2)]);
    const refreshed = conversationReducer(state, {
      type: 'first_page_loaded',
      page: {
        messages: [message('y', 8), message('z', 9)],
        next_cursor: 'gap',
        other_last_read_message_uuid: null,
      },
    });
    expect(refreshed.messages.map((m) => m.uuid)).toEqual(['y', 'z']);
    expect(refreshed.olderCursor).toBe('gap');
  });

  it('keeps the screen when a catch-up fails, and says "not found" for a first load', () => {
    const state = ready([message('a', 1)]);
    expect(
      conversationReducer(state, { type: 'first_page_failed', error: 'x', notFound: false }),
    ).toBe(state);
    const missing = conversationReducer(initialConversationState([], 'loading'), {
      type: 'first_page_failed',
      error: 'No such conversation.',
      notFound: true,
    });
    expect(missing.phase).toBe('not_found');
  });
});

describe('"Seen": the other participant read position', () => {
  const mine = (uuid: string, second: number) => message(uuid, second, `mine ${uuid}`, true);
  const theirs = (uuid: string, second: number) => message(uuid, second, `theirs ${uuid}`);
  const withRead = (messages: Message[], read: string | null) =>
    conversationReducer(initialConversationState([], 'loading'), {
      type: 'first_page_loaded',
      page: { messages, next_cursor: null, other_last_read_message_uuid: read },
    });

  it('is under my newest message at or before their read position, and nowhere else', () => {
    const messages = [mine('a', 1), mine('b', 2), theirs('c', 3), mine('d', 4), mine('e', 5)];
    expect(seenMessageUuid(withRead(messages, 'b').messages, 'b', 'me')).toBe('b');
    // They read up to their own reply: my message before it is the one seen.
    expect(seenMessageUuid(messages, 'c', 'me')).toBe('b');
    expect(seenMessageUuid(messages, 'd', 'me')).toBe('d');
    expect(seenMessageUuid(messages, 'e', 'me')).toBe('e');
    expect(seenMessageUuid(messages, null, 'me')).toBeNull();
    // Read before any message of mine: nothing of mine seen.
    expect(seenMessageUuid([theirs('x', 1), mine('y', 2)], 'x', 'me')).toBeNull();
  });

  it('starts at the first page, moves with read frames, and never moves back', () => {
    const messages = [mine('a', 1), mine('b', 2), mine('c', 3)];
    let state = withRead(messages, 'a');
    expect(state.otherReadUuid).toBe('a');
    state = conversationReducer(state, { type: 'other_read', messageUuid: 'c' });
    expect(state.otherReadUuid).toBe('c');
    // A late frame, and a page fetched before the frame: both older, both ignored.
    expect(conversationReducer(state, { type: 'other_read', messageUuid: 'b' })).toBe(state);
    state = conversationReducer(state, {
      type: 'first_page_loaded',
      page: { messages, next_cursor: null, other_last_read_message_uuid: 'b' },
    });
    expect(state.otherReadUuid).toBe('c');
  });

  it('places a read position by the time its UUIDv7 carries, before the message arrives', () => {
    // A UUIDv7 at 10:00:04.000Z: after b (10:00:02), before c (10:00:06).
    const millis = Date.parse('2026-11-26T10:00:04.000Z').toString(16).padStart(12, '0');
    const v7 = `${millis.slice(0, 8)}-${millis.slice(8)}-7000-8000-000000000000`;
    const messages = [mine('a', 1), mine('b', 2), mine('c', 6)];
    let state = withRead(messages, 'a');
    state = conversationReducer(state, { type: 'other_read', messageUuid: v7 });
    expect(state.otherReadUuid).toBe(v7);
    expect(seenMessageUuid(state.messages, state.otherReadUuid, 'me')).toBe('b');
  });
});

describe('"Seen" when the other participant writes', () => {
  it('moves to my messages before their pushed message: sending marks their position there', () => {
    const mine = (uuid: string, second: number) => message(uuid, second, `mine ${uuid}`, true);
    let state = conversationReducer(initialConversationState([], 'loading'), {
      type: 'first_page_loaded',
      page: {
        messages: [mine('a', 1), mine('b', 2)],
        next_cursor: null,
        other_last_read_message_uuid: null,
      },
    });
    expect(seenMessageUuid(state.messages, state.otherReadUuid, 'me')).toBeNull();
    state = conversationReducer(state, { type: 'pushed', message: message('c', 3), mine: false });
    expect(state.otherReadUuid).toBe('c');
    expect(seenMessageUuid(state.messages, state.otherReadUuid, 'me')).toBe('b');
    // My own pushed message (another device) says nothing of what they read.
    state = conversationReducer(state, { type: 'pushed', message: mine('d', 4), mine: true });
    expect(state.otherReadUuid).toBe('c');
    expect(seenMessageUuid(state.messages, state.otherReadUuid, 'me')).toBe('b');
  });
});
