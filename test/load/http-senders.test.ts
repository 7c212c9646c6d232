import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { connectDynamo } from '../../src/store/clients.js';
import { scanAll } from '../../src/store/scan-all.js';
import { pollUntil } from '../support/processes.js';
import {
  type RunningServer,
  SERVER_START_TIMEOUT_MS,
  startServer,
} from '../support/product-server.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const SENDERS = 32;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ web: false });
}, SERVER_START_TIMEOUT_MS);
afterAll(() => server?.stop());

const rssMiB = (pid: number | undefined): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

describe(`${SENDERS} concurrent senders for ${SECONDS} s over real HTTP`, () => {
  it(
    'loses nothing, duplicates nothing, answers no 5xx, keeps memory flat',
    async () => {
      const users: { handle: string; token: string }[] = [];
      for (let i = 0; i < SENDERS * 2; i++) {
        const handle = `load_user_${i}`;
        await post('/api/dev/users', { handle, display_name: `Load ${i}` });
        const session = (await (await post('/api/dev/sessions', { handle })).json()) as {
          token: string;
        };
        users.push({ handle, token: session.token });
      }

      const statuses: Record<number, number> = {};
      const acknowledged = new Set<string>();
      const rss: number[] = [];
      let warmedUp = false;
      const deadline = Date.now() + SECONDS * 1000;
      const sampler = setInterval(() => {
        if (warmedUp) rss.push(rssMiB(server.pid()));
      }, 1000);
      setTimeout(
        () => {
          warmedUp = true;
        },
        Math.min(10_000, (SECONDS * 1000) / 4),
      );

      await Promise.all(
        Array.from({ length: SENDERS }, async (_, s) => {
          const me = users[s] as { token: string };
          for (let n = 0; Date.now() < deadline; n++) {
            const other = users[SENDERS + ((s + n) % SENDERS)] as { handle: string };
            const id = `load-${s}-${n}`;
            const response = await post(
              '/api/messages',
              { handle: other.handle, message: `message ${n} from ${s}`, client_message_id: id },
              me.token,
            );
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            if (response.status === 201 || response.status === 200) acknowledged.add(id);
            await response.arrayBuffer();
          }
        }),
      );
      clearInterval(sampler);

      const { endpoint } = JSON.parse(
        readFileSync(join(server.dataDir, 'dynamodb-local.json'), 'utf8'),
      ) as { endpoint: string };
      const { doc } = connectDynamo({ endpoint });
      const scan = () => scanAll(doc, { TableName: 'cruddur-messages', ConsistentRead: true });
      await pollUntil(async () => checkInvariants(await scan()).violations.length === 0, 60_000);
      const items = await scan();
      const stored = items.filter(
        (i) =>
          i.item_type === 'message' &&
          typeof i.client_message_id === 'string' &&
          String(i.client_message_id).startsWith('load-'),
      );
      const storedIds = stored.map((i) => String(i.client_message_id));

      const figures = {
        seconds: SECONDS,
        requests: Object.values(statuses).reduce((a, b) => a + b, 0),
        statuses,
        acknowledged: acknowledged.size,
        stored: storedIds.length,
        distinctStored: new Set(storedIds).size,
        rssStartMiB: Math.round(rss[0] ?? 0),
        rssEndMiB: Math.round(rss.at(-1) ?? 0),
        rssMaxMiB: Math.round(Math.max(...rss)),
      };
      console.log(`load figures: ${JSON.stringify(figures)}`);
      expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
      expect(figures.stored).toBe(figures.acknowledged);
      expect(figures.distinctStored).toBe(figures.stored);
      expect(checkInvariants(items).violations).toEqual([]);
      // Flat after warm-up: a leak of even 1 KiB per message would show here.
      expect(figures.rssEndMiB - figures.rssStartMiB).toBeLessThan(120);
    },
    SERVER_START_TIMEOUT_MS + SECONDS * 1000 + 120_000,
  );
});
