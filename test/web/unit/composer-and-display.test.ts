import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_ID_PATTERN } from '../../../src/contract/limits';
import { avatarHue, initialsOf } from '../../../web/src/components/avatar-style';
import { measureMessage } from '../../../web/src/features/composer/message-length';
import { buildTimeline } from '../../../web/src/features/messages/timeline';
import type { Message, User } from '../../../web/src/lib/api-types';
import { newClientMessageId } from '../../../web/src/lib/client-message-id';

describe('measureMessage', () => {
  it('counts code points of the trimmed text, as the server does', () => {
    expect(measureMessage('  hi  ').length).toBe(2);
    expect(measureMessage('🎉'.repeat(1024))).toMatchObject({ length: 1024, tooLong: false });
    expect(measureMessage('a'.repeat(1025))).toMatchObject({ tooLong: true, showCounter: true });
    expect(measureMessage(' \n ').blank).toBe(true);
    expect(measureMessage('a'.repeat(100)).showCounter).toBe(false);
  });
});

describe('newClientMessageId', () => {
  it('matches what the API accepts, and differs every time', () => {
    const id = newClientMessageId();
    expect(id).toMatch(new RegExp(CLIENT_MESSAGE_ID_PATTERN));
    expect(newClientMessageId()).not.toBe(id);
  });
});

describe('avatars', () => {
  it('shows up to two initials and keeps a colour per handle', () => {
    expect(initialsOf('Mara Quinn', 'mara_quinn')).toBe('MQ');
    expect(initialsOf('Inès van der Berg', 'ines')).toBe('IB');
    expect(initialsOf('  ', 'zed')).toBe('Z');
    expect(avatarHue('mara_quinn')).toBe(avatarHue('mara_quinn'));
  });
});

describe('buildTimeline', () => {
  const me: User = { uuid: 'me', handle: 'me', display_name: 'Me' };
  const at = (iso: string, uuid: string, mine: boolean): Message => ({
    uuid,
    user_uuid: mine ? 'me' : 'them',
    handle: mine ? 'me' : 'them',
    display_name: mine ? 'Me' : 'Them',
    message: uuid,
    created_at: iso,
    edited_at: null,
    deleted: false,
  });

  it('names the sender once per run, and starts a new run after a pause or a new sender', () => {
    const entries = buildTimeline(
      [
        at('2026-11-26T12:00:00.000Z', 'a', false),
        at('2026-11-26T12:01:00.000Z', 'b', false),
        at('2026-11-26T12:09:00.000Z', 'c', false),
        at('2026-11-26T12:09:30.000Z', 'd', true),
      ],
      [],
      me,
    );
    const runs = entries.flatMap((entry) =>
      entry.kind === 'message' ? [[entry.key, entry.startsRun, entry.mine]] : [],
    );
    expect(runs).toEqual([
      ['a', true, false],
      ['b', false, false],
      ['c', true, false],
      ['d', true, true],
    ]);
    expect(entries[0]?.kind).toBe('day');
  });

  it('puts pending messages last, as mine', () => {
    const entries = buildTimeline(
      [at('2026-11-26T12:00:00.000Z', 'a', false)],
      [
        {
          clientMessageId: 'c1',
          text: 'on its way',
          createdAt: '2026-11-26T12:00:05.000Z',
          status: 'sending',
          error: null,
          retryable: true,
        },
      ],
      me,
    );
    const last = entries[entries.length - 1];
    expect(last).toMatchObject({ kind: 'message', key: 'c1', mine: true, uuid: null });
  });
});
