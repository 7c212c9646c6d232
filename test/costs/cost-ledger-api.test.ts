import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { ApiContext } from '../../src/api/context.js';
import { createApiContext } from '../../src/api/create-context.js';
import { loadApiConfig } from '../../src/config.js';
import {
  awsWriteUnits,
  awsWriteUnitsByTarget,
  dollars,
  isGroupRowKey,
} from '../../src/costs/cost-model.js';
import type { CostEntry } from '../../src/costs/cost-schemas.js';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { TransactItem, WriteRequest } from '../../src/messaging/table-port.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import type { StreamOutcome } from '../../src/stream/outcomes.js';
import { recordingWrites } from '../support/recording-table.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

// The API as `npm start` builds it in local mode (createApiContext meters the connection's
// client), on this file's table, over real HTTP; its core sends through a table that keeps
// each write request, so that the ledger can be held against the cost model.
const t = withTestTable();
const api = { base: '', app: undefined as FastifyInstance | undefined };
let context: ApiContext;
const sent = recordingWrites(new DynamoTable(t.connection.doc, { tableName: t.tableName }));

beforeAll(async () => {
  const local = await createApiContext({
    config: loadApiConfig({ AUTH_MODE: 'local', SEND_RATE_LIMIT: '0' }),
    connection: t.connection,
    tableName: t.tableName,
  });
  context = {
    ...local,
    messaging: new Messaging({ table: sent.table, cursors: createCursorCodec(Buffer.alloc(32)) }),
  };
  api.app = await buildApp({ context });
  api.base = await api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => api.app?.close());

const ledger = () => {
  if (!context.inspector) throw new Error('local mode has an inspector');
  return context.inspector.costs;
};

const request = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
  const { token, json, ...rest } = init;
  return fetch(`${api.base}${path}`, {
    ...rest,
    headers: {
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
};

const costs = async (query = ''): Promise<CostEntry[]> => {
  const response = await request(`/api/inspect/costs${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { entries: CostEntry[] }).entries;
};

/** Watches the ledger as the inspector page does (which turns recording on) until the test ends. */
const watchCosts = async (): Promise<void> => {
  const controller = new AbortController();
  const response = await fetch(`${api.base}/api/inspect/costs/stream`, {
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  expect(ledger().recording).toBe(true);
  onTestFinished(async () => {
    controller.abort();
    await response.body?.cancel().catch(() => {});
    await expect.poll(() => ledger().recording).toBe(false);
  });
};

const person = async (name: string) => {
  const user = await context.messaging.createUser({
    handle: uniqueHandle(name),
    displayName: name,
  });
  const token = await context.localIssuer?.issue(user);
  if (!token) throw new Error('local mode issues tokens');
  return { user, token };
};

const send = async (token: string, body: Record<string, string>) => {
  const response = await request('/api/messages', { method: 'POST', token, json: body });
  expect(response.status).toBe(201);
  return (await response.json()) as { message_group_uuid: string };
};

const newestFrom = (entries: CostEntry[], source: string, after: number) =>
  entries.filter((entry) => entry.source === source && entry.id > after);

const lastId = async () => (await costs('?limit=1'))[0]?.id ?? 0;

const groupRows = (items: TransactItem[]) =>
  items.filter((item) =>
    isGroupRowKey((item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key) as never),
  ).length;

describe('the cost ledger (local mode)', () => {
  it("records a send as one entry whose units are the cost model's: a transaction at 2 WCU per item plus the GSI's, a lone put at 1", async () => {
    const [ada, bea] = [await person('ada'), await person('bea')];
    await watchCosts();
    const after = await lastId();
    sent.writes.length = 0;

    const { message_group_uuid } = await send(ada.token, {
      handle: bea.user.handle,
      message: 'hi',
    });
    const [first, ...others] = newestFrom(await costs(), 'POST /api/messages', after);
    expect(others).toEqual([]);
    if (!first) throw new Error('no entry for the send');
    const writes = sent.writes.splice(0);
    const transaction = writes.find((w) => w.items.length > 1) as WriteRequest;
    const charged = first.requests.find((r) => r.operation === 'TransactWriteItems');
    // Pattern C: pair claim, conversation, both group rows, message, recipient's counter.
    expect(charged).toMatchObject({
      table: t.tableName,
      index: null,
      items_written: transaction.items.length,
      wcu: awsWriteUnits(transaction.items),
      gsi_wcu: awsWriteUnitsByTarget(transaction.items).index,
      group_rows: 2,
      failed: false,
    });
    // Every item under 1 KB: 2 WCU each, and 1 more for each group row (the GSI's copy).
    expect(charged?.wcu).toBe(2 * transaction.items.length + groupRows(transaction.items));
    expect(first.wcu).toBe(writes.reduce((sum, w) => sum + awsWriteUnits(w.items), 0));
    expect(first.rcu).toBe(first.requests.reduce((sum, r) => sum + r.rcu, 0));
    expect(first.usd).toBeCloseTo(dollars(first.rcu, first.wcu), 15);

    // Pattern D: one PutItem, 1 WCU, no transaction.
    await send(ada.token, { message_group_uuid, message: 'again' });
    const [second] = newestFrom(await costs(), 'POST /api/messages', first.id);
    const put = sent.writes.splice(0).find((w) => w.items.length === 1) as WriteRequest;
    expect(second?.requests.filter((r) => r.wcu > 0)).toEqual([
      expect.objectContaining({ operation: 'PutItem', wcu: awsWriteUnits(put.items), gsi_wcu: 0 }),
    ]);
    expect(awsWriteUnits(put.items)).toBe(1);
  });

  it('records the stream batch a send causes as one entry: pattern E moving both group rows, units by the cost model', {
    timeout: 30_000,
  }, async () => {
    const moved = recordingWrites(new DynamoTable(t.connection.doc, { tableName: t.tableName }));
    const outcomes: StreamOutcome[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'cost-ledger-'));
    const consumer = await startLocalConsumer({
      connection: t.connection,
      tableName: t.tableName,
      dataDir,
      table: moved.table,
      observer: (outcome) => outcomes.push(outcome),
    });
    onTestFinished(async () => {
      await consumer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const [cid, dov] = [await person('cid'), await person('dov')];
    const { message_group_uuid } = await send(cid.token, { handle: dov.user.handle, message: '1' });
    // The consumer has caught up (one shard, in order): what it does next is for our send.
    await expect
      .poll(() => outcomes.some((o) => o.record.pk === `MSG#${message_group_uuid}`), {
        timeout: 20_000,
      })
      .toBe(true);
    await watchCosts();
    const after = await lastId();
    moved.writes.length = 0;

    await send(cid.token, { message_group_uuid, message: '2' });
    await expect
      .poll(async () => newestFrom(await costs(), 'stream batch', after).length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    const batches = newestFrom(await costs(), 'stream batch', after);
    const writes = moved.writes.splice(0);
    const move = writes.find((w) => w.items.some((item) => item.Delete)) as WriteRequest;
    const charged = batches
      .flatMap((b) => b.requests)
      .find((r) => r.operation === 'TransactWriteItems' && !r.failed);
    // Both rows: a delete of the old key and a put of the new, 2 WCU each, and the GSI's 4.
    expect(charged).toMatchObject({
      wcu: awsWriteUnits(move.items),
      gsi_wcu: awsWriteUnitsByTarget(move.items).index,
      group_rows: 2,
      items_written: move.items.length,
    });
    expect(charged?.gsi_wcu).toBe(groupRows(move.items));
    expect(batches.reduce((sum, b) => sum + b.wcu, 0)).toBe(
      writes.reduce((sum, w) => sum + awsWriteUnits(w.items), 0),
    );
    expect(batches[0]?.records).toBeGreaterThan(0);
  });

  it("names sign-in and leaves out the inspector's own scans", async () => {
    const eve = await person('eve');
    // Local mode's OpenAPI document lists the ledger's routes (the other inspector routes too).
    const spec = (await (await request('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    expect(spec.paths['/api/inspect/costs']?.get?.parameters?.map((p) => p.name)).toEqual([
      'limit',
    ]);
    expect(spec.paths).toHaveProperty(['/api/inspect/costs/stream']);
    await watchCosts();
    const after = await lastId();
    const signIn = await request('/api/dev/sessions', {
      method: 'POST',
      json: { handle: eve.user.handle },
    });
    expect(signIn.status).toBe(201);
    expect((await request('/api/inspect/items')).status).toBe(200);
    expect((await request('/api/inspect/index')).status).toBe(200);
    const entries = (await costs()).filter((entry) => entry.id > after);
    expect(entries.map((entry) => entry.source)).toEqual(['POST /api/dev/sessions']);
    expect(entries[0]?.requests.every((r) => r.rcu > 0 && r.wcu === 0)).toBe(true);
  });

  it('records nothing while nobody watches', async () => {
    const [fay, gus] = [await person('fay'), await person('gus')];
    expect(ledger().recording).toBe(false);
    const before = await costs();
    await send(fay.token, { handle: gus.user.handle, message: 'unwatched' });
    expect(await costs()).toEqual(before);
  });

  it('keeps the last 500 entries, newest first; honours limit and refuses a junk one', async () => {
    const stop = ledger().subscribe(() => {});
    onTestFinished(stop);
    const stub = {
      operation: 'GetItem',
      table: t.tableName,
      index: null,
      items_read: 1,
      items_written: 0,
      rcu: 0.5,
      wcu: 0,
      gsi_wcu: 0,
      group_rows: 0,
      failed: false,
    };
    for (let i = 0; i < 501; i++) ledger().record(stub, undefined);
    const kept = await costs('?limit=500');
    expect(kept).toHaveLength(500);
    const ids = kept.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((ids[0] ?? 0) - (ids[499] ?? 0)).toBe(499);
    expect(await costs()).toEqual(kept);
    expect((await costs('?limit=2')).map((e) => e.id)).toEqual(ids.slice(0, 2));
    for (const junk of ['0', '501', '-1', '2.5', 'ten', '']) {
      const response = await request(`/api/inspect/costs?limit=${junk}`);
      expect(response.status, junk).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_request',
      );
    }
  });
});
