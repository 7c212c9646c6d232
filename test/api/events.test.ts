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
    await events.next((e) => e.event === 'ready');

    const sent = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { handle: b.user.handle, message: 'live!' },
    });
    const { message_group_uuid } = (await sent.json()) as { message_group_uuid: string };
    await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { message_group_uuid, message: 'and again' },
    });

    const message = await events.next(
      (e) => e.event === 'message' && JSON.stringify(e.data).includes('and again'),
    );
    expect(message.data).toMatchObject({
      message_group_uuid,
      message: { handle: a.user.handle, message: 'and again' },
    });
    const row = await events.next(
      (e) => e.event === 'message_group' && JSON.stringify(e.data).includes('and again'),
    );
    expect(row.data).toMatchObject({
      uuid: message_group_uuid,
      handle: a.user.handle,
      message: 'and again',
    });
    await events.close();
    expect(consumer.outcomes.length).toBeGreaterThan(0);

    const records: InspectorRecord[] = [...feed.recent()];
    expect(records.some((r) => r.item_type === 'message' && r.outcome === 'applied')).toBe(true);
    expect(
      records.some((r) => r.item_type === 'message_group' && r.reason === 'filtered_out'),
    ).toBe(true);
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
    const items = (await (await api.request('/api/inspect/items')).json()) as {
      items: { pk: string }[];
    };
    expect(items.items.some((i) => i.pk.startsWith('GRP#'))).toBe(true);
    expect(items.items.some((i) => i.pk.startsWith('MSG#'))).toBe(true);
    const index = (await (await api.request('/api/inspect/index')).json()) as {
      items: { pk: string; message_group_uuid: string }[];
    };
    expect(index.items.length).toBeGreaterThan(0);
    expect(index.items.every((i) => i.pk.startsWith('GRP#') && i.message_group_uuid)).toBe(true);
    const stream = eventReader(await api.request('/api/inspect/stream'));
    await stream.next((e) => e.event === 'record');
    await stream.close();
  });
});
