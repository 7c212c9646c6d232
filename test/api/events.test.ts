import { describe, expect, it } from 'vitest';
import { MESSAGE_GROUP_INDEX } from '../../src/messaging/keys.js';
import type { InspectorRecord } from '../../src/push/inspector-feed.js';
import { InspectorFeed } from '../../src/push/inspector-feed.js';
import { PushHub } from '../../src/push/push-hub.js';
import { streamNotifier } from '../../src/push/stream-notifier.js';
import { summarizeRecord } from '../../src/stream/record-summary.js';
import { errorOf, withApi } from '../support/api.js';
import { startConsumer } from '../support/consumer.js';
import { eventReader } from '../support/sse.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const hub = new PushHub();
const feed = new InspectorFeed();
const scan = async (input: { IndexName?: string }) =>
  (await t.table.scan<Record<string, unknown>>({ TableName: t.tableName, ...input })).items;
const api = withApi(t, {
  push: hub,
  inspector: {
    feed,
    tableItems: () => scan({}),
    indexItems: () => scan({ IndexName: MESSAGE_GROUP_INDEX }),
  },
});

/** Waits for pushed events on a loaded machine: a stream record can take seconds to arrive. */
const EVENT_WAIT_MS = 15_000;

describe('live events', () => {
  it('pushes a new message and the moved list row to the recipient, fed by pattern E', async () => {
    const notify = streamNotifier(hub, api.context.messaging);
    const consumer = await startConsumer(t, {
      observers: [notify, feed.observer],
      onFilteredOut: (records) => {
        for (const record of records)
          feed.observer({
            kind: 'skipped',
            record: summarizeRecord(record),
            reason: 'filtered_out',
          });
      },
    });
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const stream = await api.request(`/api/events?access_token=${encodeURIComponent(b.token)}`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = eventReader(stream);
    await events.next((e) => e.event === 'ready', EVENT_WAIT_MS);

    const sent = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { handle: b.user.handle, message: 'live!' },
    });
    const { message_group_uuid } = (await sent.json()) as { message_group_uuid: string };
    const again = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { message_group_uuid, message: 'and again' },
    });
    const newest = ((await again.json()) as { message: { uuid: string; created_at: string } })
      .message;

    const message = await events.next(
      (e) => e.event === 'message' && JSON.stringify(e.data).includes('and again'),
      EVENT_WAIT_MS,
    );
    expect(message.data).toMatchObject({
      message_group_uuid,
      message: { handle: a.user.handle, message: 'and again' },
    });
    const row = await events.next(
      (e) => e.event === 'message_group' && JSON.stringify(e.data).includes('and again'),
      EVENT_WAIT_MS,
    );
    expect(row.data).toMatchObject({
      uuid: message_group_uuid,
      handle: a.user.handle,
      message: 'and again',
    });
    await events.close();

    // The newest message of the conversation is applied whatever the batches were.
    const newestSk = `${newest.created_at}#${newest.uuid}`;
    expect(consumer.outcomes).toContainEqual(
      expect.objectContaining({
        kind: 'applied',
        record: expect.objectContaining({ pk: `MSG#${message_group_uuid}`, sk: newestSk }),
      }),
    );
    const fed = (pk: string): InspectorRecord[] => feed.recent().filter((r) => r.pk === pk);
    expect(fed(`MSG#${message_group_uuid}`)).toContainEqual(
      expect.objectContaining({ sk: newestSk, item_type: 'message', outcome: 'applied' }),
    );
    // The source's filter passes message INSERTs only: both people's list rows never reach the
    // handler, and the inspector shows them as filtered out.
    const rowsFed = () =>
      [...fed(`GRP#${a.user.uuid}`), ...fed(`GRP#${b.user.uuid}`)].map((r) => ({
        pk: r.pk,
        item_type: r.item_type,
        reason: r.reason,
      }));
    await expect.poll(rowsFed, { timeout: EVENT_WAIT_MS }).toEqual(
      expect.arrayContaining(
        [a, b].map(({ user }) => ({
          pk: `GRP#${user.uuid}`,
          item_type: 'message_group',
          reason: 'filtered_out',
        })),
      ),
    );
    expect(new Set(rowsFed().map((r) => r.reason))).toEqual(new Set(['filtered_out']));
  });

  it('refuses an event stream without a valid token', async () => {
    expect(await errorOf(await api.request('/api/events?access_token=nope'))).toMatchObject({
      status: 401,
    });
    expect(await errorOf(await api.request('/api/events'))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
  });

  it('shows the inspector the table, its GSI and the stream feed', async () => {
    await startConsumer(t, { observers: [feed.observer] });
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const sent = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { handle: b.user.handle, message: 'for the inspector' },
    });
    const { message_group_uuid: group } = (await sent.json()) as { message_group_uuid: string };
    // A reply moves the rows, so the feed has an applied record (the first message finds the
    // rows already at it and is skipped).
    const replied = await api.request('/api/messages', {
      method: 'POST',
      token: b.token,
      json: { message_group_uuid: group, message: 'a reply' },
    });
    const reply = ((await replied.json()) as { message: { uuid: string; created_at: string } })
      .message;
    const rowsOf = (items: { pk: string; message_group_uuid?: string }[]) =>
      items
        .filter((i) => i.message_group_uuid === group)
        .map((i) => i.pk)
        .sort();
    const participantRows = [`GRP#${a.user.uuid}`, `GRP#${b.user.uuid}`].sort();

    const items = (await (await api.request('/api/inspect/items')).json()) as {
      items: { pk: string; item_type: string; message_group_uuid?: string; message?: string }[];
    };
    expect(items.items.filter((i) => i.pk === `MSG#${group}`)).toEqual([
      expect.objectContaining({ item_type: 'message', message: 'for the inspector' }),
      expect.objectContaining({ item_type: 'message', message: 'a reply' }),
    ]);
    expect(rowsOf(items.items.filter((i) => i.item_type === 'message_group'))).toEqual(
      participantRows,
    );
    // The GSI is sparse: group rows only, each naming its conversation.
    const index = (await (await api.request('/api/inspect/index')).json()) as {
      items: { pk: string; item_type: string; message_group_uuid: string }[];
    };
    expect(rowsOf(index.items)).toEqual(participantRows);
    expect(index.items.filter((i) => i.item_type !== 'message_group')).toEqual([]);

    const stream = eventReader(await api.request('/api/inspect/stream'));
    const replySk = `${reply.created_at}#${reply.uuid}`;
    const record = await stream.next(
      (e) => e.event === 'record' && (e.data as InspectorRecord).sk === replySk,
      EVENT_WAIT_MS,
    );
    expect(record.data).toMatchObject({
      pk: `MSG#${group}`,
      event_name: 'INSERT',
      item_type: 'message',
      outcome: 'applied',
    });
    await stream.close();
  });
});
