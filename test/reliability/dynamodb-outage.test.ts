import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { loadStreamSettings } from '../../src/config.js';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { freePort } from '../../src/local/free-port.js';
import { Messaging } from '../../src/messaging/messaging.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { loadSchema } from '../../src/store/schema.js';
import type { LocalEventSource } from '../../src/stream/local/local-event-source.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import { pollUntil } from '../support/processes.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('DynamoDB Local killed and restarted in the middle of a stream of sends', () => {
  it('answers 503 quickly while it is down, stores every acknowledged message once, and converges', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'outage-')), 'dynamodb');
    const port = await freePort();
    let local: DynamoDbLocal = await startDynamoDbLocal({ storage: { dbPath }, port });
    cleanups.push(() => local.stop());
    const connection = connectDynamo({ endpoint: local.endpoint });
    const tableName = 'outage-messages';
    await loadSchema(connection.client, tableName);
    const messaging = new Messaging({ table: new DynamoTable(connection.doc, { tableName }) });
    const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    const app: FastifyInstance = await buildApp({
      context: localApiContext(messaging, issuer, tableHealthCheck(connection.client, tableName)),
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const consumer: LocalEventSource = await startLocalConsumer({
      connection,
      tableName,
      dataDir: mkdtempSync(join(tmpdir(), 'outage-consumer-')),
      settings: loadStreamSettings({ STREAM_POLL_INTERVAL_MS: '20' }),
    });
    cleanups.push(() => consumer.stop());

    const hub = await messaging.createUser({ handle: 'outage_hub', displayName: 'Hub' });
    const senders = [];
    for (let i = 0; i < 8; i++)
      senders.push(await messaging.createUser({ handle: `outage_${i}`, displayName: `S${i}` }));
    const tokens = await Promise.all(senders.map((s) => issuer.issue(s)));

    const acknowledged = new Set<string>();
    const answers: { status: number; started: number; ended: number }[] = [];
    const send = async (token: string, id: string) => {
      for (;;) {
        const started = Date.now();
        const response = await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            handle: hub.handle,
            message: `message ${id}`,
            client_message_id: id,
          }),
        });
        answers.push({ status: response.status, started, ended: Date.now() });
        if (response.status === 200 || response.status === 201) {
          acknowledged.add(id);
          return;
        }
        expect(response.status).toBe(503);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const traffic = Promise.all(
      tokens.map(async (token, s) => {
        for (let n = 0; n < 25; n++) await send(token, `s${s}-m${n}`);
      }),
    );

    await pollUntil(() => acknowledged.size >= 40, 20_000);
    const killedAt = Date.now();
    process.kill(local.javaPid() as number, 'SIGKILL');
    let restartedAt = Number.POSITIVE_INFINITY;
    // Requests wholly inside the outage: started after the kill, answered before the restart.
    const duringOutage = () => answers.filter((a) => a.started > killedAt && a.ended < restartedAt);
    await pollUntil(() => duringOutage().length >= 8, 20_000);
    restartedAt = Date.now();
    local = await startDynamoDbLocal({ storage: { dbPath }, port });
    await traffic;

    const outage = duringOutage();
    expect(outage.length).toBeGreaterThanOrEqual(8);
    expect(outage.filter((a) => a.status !== 503)).toEqual([]);
    // Not hanging: DynamoDB's port refuses at once and the client gives up on its own within
    // 3 x (1 s connect + 2 s request) + backoff (src/store/clients.ts); usually far less.
    expect(Math.max(...outage.map((a) => a.ended - a.started))).toBeLessThan(15_000);
    const items = () => scanAll(connection.doc, { TableName: tableName, ConsistentRead: true });
    const stored = (await items()).filter(
      (i) => i.item_type === 'message' && typeof i.client_message_id === 'string',
    );
    expect(stored.map((i) => i.client_message_id).sort()).toEqual([...acknowledged].sort());
    expect(acknowledged.size).toBe(200);

    // The consumer outlived the outage (it backs off and resumes from its checkpoint).
    await pollUntil(async () => checkInvariants(await items()).violations.length === 0, 30_000);
    expect(checkInvariants(await items()).violations).toEqual([]);
  }, 120_000);
});
