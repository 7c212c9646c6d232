import { describe, expect, it } from 'vitest';
import {
  conversationListReducer,
  initialConversationListState,
} from '../../../web/src/features/conversations/conversation-list-state';
import { initialConversationState } from '../../../web/src/features/messages/conversation-state';
import {
  describeWindow,
  withinEditWindow,
} from '../../../web/src/features/messages/MessageActions';
import {
  applyMessageUpdates,
  conversationWithUpdatesReducer,
  unsentVersion,
} from '../../../web/src/features/messages/message-updates';
import { buildTimeline } from '../../../web/src/features/messages/timeline';
import type { Message, MessageGroup } from '../../../web/src/lib/api-types';

const at = (second: number) => `2026-11-26T10:00:${String(second).padStart(2, '0')}.000Z`;

const message = (uuid: string, second: number, text = `text ${uuid}`): Message => ({
  uuid,
  user_uuid: 'me',
  handle: 'me',
  display_name: 'Me',
  message: text,
  created_at: at(second),
  edited_at: null,
  deleted: false,
});

const edited = (known: Message, text: string, second: number): Message => ({
  ...known,
  message: text,
  edited_at: at(second),
});

describe('edits and unsends in the open conversation', () => {
  it('replaces the message a frame is about, and adds none', () => {
    const a = message('a', 1);
    const b = message('b', 2);
    const messages = [a, b];
    const next = applyMessageUpdates(messages, [edited(b, 'fixed', 10), message('c', 3)]);
    expect(next.map((m) => m.message)).toEqual(['text a', 'fixed']);
    expect(next[1]?.edited_at).toBe(at(10));
    expect(applyMessageUpdates(messages, [message('c', 3)])).toBe(messages);
  });

  it('keeps the newest version: an older edit never wins, an unsend is final', () => {
    const a = message('a', 1);
    const later = applyMessageUpdates([a], [edited(a, 'second', 20)]);
    expect(applyMessageUpdates(later, [edited(a, 'first', 10)])).toBe(later);
    expect(applyMessageUpdates(later, [a])).toBe(later);
    const gone = applyMessageUpdates(later, [unsentVersion(a)]);
    expect(gone[0]).toMatchObject({ message: '', deleted: true, edited_at: null });
    expect(applyMessageUpdates(gone, [edited(a, 'third', 30)])).toBe(gone);
  });

  it('a refetched page brings the edited text of a message already on screen', () => {
    const a = message('a', 1);
    let state = conversationWithUpdatesReducer(initialConversationState([], 'loading'), {
      type: 'first_page_loaded',
      page: { messages: [a], next_cursor: null, other_last_read_message_uuid: null },
    });
    state = conversationWithUpdatesReducer(state, {
      type: 'first_page_loaded',
      page: {
        messages: [{ ...a, message: '', deleted: true }],
        next_cursor: null,
        other_last_read_message_uuid: null,
      },
    });
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]?.deleted).toBe(true);
    state = conversationWithUpdatesReducer(state, {
      type: 'message_updated',
      message: edited(a, 'too late', 40),
    });
    expect(state.messages[0]?.message).toBe('');
  });

  it('draws a tombstone without text and no "edited" on it', () => {
    const me = { uuid: 'me', handle: 'me', display_name: 'Me' };
    const [, entry] = buildTimeline(
      [{ ...edited(message('a', 1), '', 5), deleted: true }, edited(message('b', 2), 'x', 6)],
      [],
      me,
    );
    expect(entry).toMatchObject({ kind: 'message', deleted: true, editedAt: null, text: '' });
    const entries = buildTimeline([edited(message('b', 2), 'x', 6)], [], me);
    expect(entries[1]).toMatchObject({ deleted: false, editedAt: at(6) });
  });

  it("offers Edit for the server's window after sending, and says how long it is", () => {
    const sent = Date.parse('2026-11-26T10:00:00.000Z');
    expect(withinEditWindow('2026-11-26T10:00:00.000Z', 900, sent + 14 * 60_000)).toBe(true);
    expect(withinEditWindow('2026-11-26T10:00:00.000Z', 900, sent + 15 * 60_000)).toBe(false);
    expect(withinEditWindow('2026-11-26T10:00:00.000Z', 60, sent + 59_000)).toBe(true);
    expect(withinEditWindow('2026-11-26T10:00:00.000Z', 60, sent + 60_000)).toBe(false);
    expect([900, 60, 90, 1].map(describeWindow)).toEqual([
      '15 minutes',
      '1 minute',
      '90 seconds',
      '1 second',
    ]);
  });
});

describe('edits and unsends in the conversation list', () => {
  const row: MessageGroup = {
    uuid: 'g',
    handle: 'bea',
    display_name: 'Bea',
    message: 'text a',
    message_deleted: false,
    created_at: at(1),
    unread_count: 1,
    last_message_user_uuid: 'me',
  };
  const loaded = conversationListReducer(initialConversationListState, {
    type: 'first_page_loaded',
    page: { message_groups: [row], next_cursor: null },
  });

  it('updates the preview of the message the row shows, by its created_at', () => {
    const a = message('a', 1);
    const fixed = conversationListReducer(loaded, {
      type: 'message_updated',
      messageGroupUuid: 'g',
      message: edited(a, 'fixed', 9),
    });
    expect(fixed.rows[0]).toMatchObject({ message: 'fixed', message_deleted: false });
    const gone = conversationListReducer(fixed, {
      type: 'message_updated',
      messageGroupUuid: 'g',
      message: unsentVersion(a),
    });
    expect(gone.rows[0]).toMatchObject({ message: '', message_deleted: true, unread_count: 1 });
  });

  it('leaves rows that preview another message, or another conversation, alone', () => {
    const older = message('z', 0);
    expect(
      conversationListReducer(loaded, {
        type: 'message_updated',
        messageGroupUuid: 'g',
        message: unsentVersion(older),
      }),
    ).toBe(loaded);
    expect(
      conversationListReducer(loaded, {
        type: 'message_updated',
        messageGroupUuid: 'other',
        message: unsentVersion(message('a', 1)),
      }),
    ).toBe(loaded);
  });
});
