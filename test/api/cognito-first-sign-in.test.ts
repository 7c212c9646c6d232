import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TablePort, WriteRequest } from '../../src/messaging/table-port.js';
import { errorOf, withApi } from '../support/api.js';
import { cognitoTestPool } from '../support/cognito-test-pool.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

// A Cognito user seen for the first time is created from the token's claims (resolve-user.ts).
// These tests pin the two ways that can collide: with a handle someone else holds, and with
// itself (two first requests of one new user at once).

interface Gate {
  count: number;
  held: (() => void)[];
  arrived: () => void;
}

/**
 * The test table, whose writes can be held until `count` of them have arrived: a race made
 * certain. Every racer has read before any of them writes, whatever the scheduling.
 */
class GatedTable implements TablePort {
  #gate: Gate | undefined;

  constructor(private readonly inner: TablePort) {}

  get tableName() {
    return this.inner.tableName;
  }

  /** Holds the next `count` writes; `allArrived` resolves as the last arrives and all go on. */
  holdWrites(count: number): { allArrived: Promise<void>; release(): void } {
    const gate: Gate = { count, held: [], arrived: () => {} };
    const allArrived = new Promise<void>((resolve) => {
      gate.arrived = resolve;
    });
    this.#gate = gate;
    return { allArrived, release: () => this.#open(gate) };
  }

  #open(gate: Gate): void {
    if (this.#gate === gate) this.#gate = undefined;
    for (const go of gate.held.splice(0)) go();
  }

  get: TablePort['get'] = (input) => this.inner.get(input);
  query: TablePort['query'] = (input) => this.inner.query(input);
  scan: TablePort['scan'] = (input) => this.inner.scan(input);

  async write(request: WriteRequest): Promise<void> {
    const gate = this.#gate;
    if (gate) {
      await new Promise<void>((go) => {
        gate.held.push(go);
        if (gate.held.length === gate.count) {
          gate.arrived();
          this.#open(gate);
        }
      });
    }
    return this.inner.write(request);
  }
}

const t = withTestTable();
const gated = new GatedTable(t.table);
const pool = await cognitoTestPool();
const api = withApi(t, {
  authMode: 'cognito',
  verifier: pool.verifier,
  localIssuer: undefined,
  messaging: t.messaging({ table: gated }),
});

/** Every item the table holds for `uuid`: its profile, and the handle it claims. */
const itemsOf = async (uuid: string) =>
  (await t.scanAll())
    .filter(
      (item) => item.user_uuid === uuid && ['user', 'handle'].includes(String(item.item_type)),
    )
    .map((item) => ({ pk: item.pk, sk: item.sk, handle: item.handle }))
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk)));

/**
 * Sends `requests` at once, their writes held until every request has reached one. Fails,
 * instead of waiting forever, if any request answers without having written.
 */
const race = async (requests: (() => Promise<Response>)[]) => {
  const gate = gated.holdWrites(requests.length);
  const responses = requests.map((send) => send());
  try {
    const first = await Promise.race([
      gate.allArrived.then(() => 'all wrote' as const),
      ...responses.map((r) => r.then(() => 'one answered before all wrote' as const)),
    ]);
    expect(first).toBe('all wrote');
  } finally {
    gate.release();
  }
  return Promise.all(responses);
};

const errorOrUser = async (response: Response) =>
  response.status === 200
    ? { status: 200, uuid: ((await response.json()) as { uuid: string }).uuid }
    : await errorOf(response);

describe('a Cognito user signing in for the first time', () => {
  it('whose handle another user holds gets 409 handle_taken, and nothing is written', async () => {
    const handle = uniqueHandle('taken');
    const holder = await t.messaging().createUser({ handle, displayName: 'Holder' });
    const sub = randomUUID();
    const token = await pool.accessToken({ sub, username: `${handle.toUpperCase()}@example.com` });

    for (let attempt = 1; attempt <= 2; attempt++) {
      expect({ attempt, ...(await errorOf(await api.request('/api/me', { token }))) }).toEqual({
        attempt,
        status: 409,
        code: 'handle_taken',
        message: `The handle @${handle} belongs to another user; ask an admin.`,
      });
    }
    expect(await itemsOf(sub)).toEqual([]);
    expect(await t.messaging().getUserByHandle(handle)).toEqual(holder);
  });

  it('twice at once is created once, and both requests are answered as that user', async () => {
    const sub = randomUUID();
    const handle = uniqueHandle('twice');
    const token = await pool.accessToken({ sub, username: handle });

    const responses = await race([
      () => api.request('/api/me', { token }),
      () => api.request('/api/me', { token }),
    ]);
    const answers = await Promise.all(responses.map(async (r) => [r.status, await r.json()]));
    const me = { uuid: sub, handle, display_name: handle, unread_conversations: 0 };
    expect(answers).toEqual([
      [200, me],
      [200, me],
    ]);
    expect(await itemsOf(sub)).toEqual([
      { pk: `HANDLE#${handle}`, sk: 'HANDLE', handle },
      { pk: `USER#${sub}`, sk: 'PROFILE', handle },
    ]);
  });

  it('racing another new user for one handle: one is created, the other gets 409', async () => {
    const handle = uniqueHandle('contest');
    const subs = [randomUUID(), randomUUID()];
    const tokens = await Promise.all(
      subs.map((sub, i) => pool.accessToken({ sub, username: `${handle}@host${i}.example` })),
    );

    const responses = await race(tokens.map((token) => () => api.request('/api/me', { token })));
    const outcomes = await Promise.all(
      responses.map(async (response, i) => ({ sub: subs[i], ...(await errorOrUser(response)) })),
    );
    const winner = outcomes.find((o) => o.status === 200);
    const loser = outcomes.find((o) => o.status === 409);
    expect(winner).toEqual({ sub: winner?.sub, status: 200, uuid: winner?.sub });
    expect(loser).toEqual({
      sub: loser?.sub,
      status: 409,
      code: 'handle_taken',
      message: `The handle @${handle} belongs to another user; ask an admin.`,
    });
    expect((await t.messaging().getUserByHandle(handle)).uuid).toBe(winner?.sub);
    expect(await itemsOf(String(loser?.sub))).toEqual([]);
  });
});
