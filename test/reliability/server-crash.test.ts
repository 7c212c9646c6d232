import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import type { MessageGroupItem } from '../../src/messaging/items.js';
import { sortKeyOfMessageUuid } from '../../src/messaging/message-uuid.js';
import { readPositionOf } from '../../src/messaging/read-state.js';
import { peopleItems } from '../../src/messaging/requests/people.js';
import { connectDynamo } from '../../src/store/clients.js';
import { scanAll } from '../../src/store/scan-all.js';
import { dropTable } from '../../src/store/schema.js';
import {
  type CrashPoint,
  type CrashPointProxy,
  type DynamoCall,
  startCrashPointProxy,
} from '../support/crash-point-proxy.js';
import { pollUntil } from '../support/processes.js';
import {
  type RunningServer,
  SERVER_START_TIMEOUT_MS,
  startServer,
} from '../support/product-server.js';

const api = (url: string, path: string, init: { token?: string; json?: unknown } = {}) =>
  fetch(`${url}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });

const signIn = async (url: string, handle: string): Promise<string> => {
  const response = await api(url, '/api/dev/sessions', { json: { handle } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
};

interface SendBody {
  handle: string;
  message: string;
  client_message_id: string;
}

interface SendAnswer {
  message_group_uuid: string;
  message: { uuid: string };
}

/**
 * Sends until an answer under 500 comes back, as a client does while the server is down.
 * `failed` lists the attempts before it (a 503 may have written what the next one finds).
 */
const sendUntilAnswered = async (url: string, token: string, body: SendBody) => {
  const failed: string[] = [];
  for (;;) {
    try {
      const response = await api(url, '/api/messages', { token, json: body });
      if (response.status < 500) return { response, failed };
      failed.push(String(response.status));
    } catch (error) {
      failed.push(String((error as { cause?: { code?: string } }).cause?.code ?? error));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Calls until an answer under 500 comes back (the server restarting), as a client does. */
const untilAnswered = async (call: () => Promise<Response>): Promise<Response> => {
  for (;;) {
    try {
      const response = await call();
      if (response.status < 500) return response;
    } catch {
      // The server is not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** What the client of the interrupted send got: an answer, or a connection cut without one. */
type InFlight =
  | { kind: 'answered'; status: number; uuid: string | undefined }
  | { kind: 'no answer'; error: string };

const outcomeOf = async (response: Promise<Response>): Promise<InFlight> => {
  try {
    const answer = await response;
    const body = (await answer.json()) as Partial<SendAnswer>;
    return { kind: 'answered', status: answer.status, uuid: body.message?.uuid };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'no answer', error: cause?.code ?? cause?.message ?? String(error) };
  }
};

const scanTableAt = async (endpoint: string, tableName: string) => {
  const { client, doc } = connectDynamo({ endpoint });
  try {
    return await scanAll(doc, { TableName: tableName, ConsistentRead: true });
  } finally {
    client.destroy();
  }
};

/**
 * After the recovery, the restarted server's stream consumer applies what the crash left,
 * and the whole table keeps every invariant: pattern E's, and read state's (each row's
 * unread count and read position, the profiles' unread_conversations).
 */
const expectConvergedAt = async (endpoint: string, tableName: string) => {
  let violations = checkInvariants(await scanTableAt(endpoint, tableName)).violations;
  await pollUntil(async () => {
    violations = checkInvariants(await scanTableAt(endpoint, tableName)).violations;
    return violations.length === 0;
  }, 30_000).catch(() => undefined);
  expect(violations).toEqual([]);
};

/** The items a send with this client_message_id left: its claim, and its message(s). */
interface Stored {
  claim: boolean;
  messageUuids: string[];
}

const storedWith = async (endpoint: string, tableName: string, id: string): Promise<Stored> => {
  const { client, doc } = connectDynamo({ endpoint });
  try {
    const items = (await scanAll(doc, { TableName: tableName, ConsistentRead: true })).filter(
      (item) => item.client_message_id === id,
    );
    return {
      claim: items.some((item) => item.item_type === 'client_message'),
      messageUuids: items
        .filter((item) => item.item_type === 'message')
        .map((item) => String(item.message_uuid)),
    };
  } finally {
    client.destroy();
  }
};

interface Crash {
  server: RunningServer;
  stored: (id: string) => Promise<Stored>;
  token: string;
  body: SendBody;
  /** Settles at the moment to kill the server; sees the interrupted send's outcome. */
  killWhen: (inFlight: Promise<InFlight>) => Promise<void>;
  whileDown?: () => void;
}

interface CrashReport {
  inFlight: InFlight;
  storedBeforeRetry: Stored;
  retryStatus: number;
  /** Attempts of the retry that got no answer under 500 before the one that did. */
  retryFailed: string[];
}

const describeReport = (report: CrashReport): string => {
  const { inFlight, storedBeforeRetry, retryStatus, retryFailed } = report;
  return [
    inFlight.kind === 'answered'
      ? `answered ${inFlight.status} before the kill: the send had finished`
      : `no answer, connection cut (${inFlight.error}): killed in the middle of the send`,
    `before the retry: claim ${storedBeforeRetry.claim ? 'stored' : 'absent'}, ` +
      `${storedBeforeRetry.messageUuids.length} message(s) stored`,
    `the retry answered ${retryStatus}` +
      (retryFailed.length > 0 ? ` after ${retryFailed.join(', ')}` : ''),
  ].join('; ');
};

/**
 * Sends, kills the server when `killWhen` says, retries the same client_message_id until the
 * restarted server answers, and asserts what must hold whatever the crash interrupted:
 * acknowledged means stored, the retry converges on one message, nothing is duplicated.
 */
const crashDuringSend = async (label: string, crash: Crash): Promise<CrashReport> => {
  const { server, token, body } = crash;
  const inFlight = outcomeOf(api(server.url, '/api/messages', { token, json: body }));
  await crash.killWhen(inFlight);
  await server.crashAndRestart(crash.whileDown);
  const report: CrashReport = {
    inFlight: await inFlight,
    storedBeforeRetry: await crash.stored(body.client_message_id),
    retryStatus: 0,
    retryFailed: [],
  };
  const { response: retry, failed } = await sendUntilAnswered(server.url, token, body);
  report.retryStatus = retry.status;
  report.retryFailed = failed;
  console.log(`server crash, ${label}: ${describeReport(report)}`);

  expect([200, 201]).toContain(retry.status);
  const answer = (await retry.json()) as SendAnswer;
  expect(await crash.stored(body.client_message_id)).toEqual({
    claim: true,
    messageUuids: [answer.message.uuid],
  });
  if (report.inFlight.kind === 'answered') {
    expect([200, 201]).toContain(report.inFlight.status);
    expect(report.storedBeforeRetry.messageUuids).toEqual([report.inFlight.uuid]);
    expect(answer.message.uuid).toBe(report.inFlight.uuid);
  }
  const page = await api(server.url, `/api/messages/${answer.message_group_uuid}?limit=100`, {
    token,
  });
  const texts = ((await page.json()) as { messages: { message: string }[] }).messages.map(
    (m) => m.message,
  );
  expect(texts.filter((text) => text === body.message)).toHaveLength(1);
  return report;
};

describe('the server (npm start, with its own DynamoDB Local) killed (SIGKILL) during a send', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ web: false });
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  /** Its DynamoDB Local was restarted with it, maybe on another port: ask the data dir. */
  const endpoint = () =>
    (
      JSON.parse(readFileSync(join(server.dataDir, 'dynamodb-local.json'), 'utf8')) as {
        endpoint: string;
      }
    ).endpoint;
  const stored = (id: string) => storedWith(endpoint(), 'cruddur-messages', id);

  // A timer cannot say where the kill lands: each case reports whether the send was still in
  // flight, and the invariants are asserted either way. The crash points below are exact.
  it.each([0, 5, 25])(
    'ends with exactly one message when the client retries (killed after %i ms)',
    async (delay) => {
      await crashDuringSend(`killed ${delay} ms after the send left`, {
        server,
        stored,
        token: await signIn(server.url, 'mara_quinn'),
        body: {
          handle: 'sol_park',
          message: `survives a crash (${delay} ms)`,
          client_message_id: `crash-${delay}-${Date.now()}`,
        },
        killWhen: () => new Promise((resolve) => setTimeout(resolve, delay)),
      });
      // The demo data included: its read state too, once the consumer has applied it.
      await expectConvergedAt(endpoint(), 'cruddur-messages');
    },
    120_000,
  );
});

type AttributeMap = Record<string, { S?: string } | undefined>;

/** The items a PutItem or TransactWriteItems call writes. */
const itemsOf = (call: DynamoCall): AttributeMap[] => {
  const body = call.body as {
    Item?: AttributeMap;
    TransactItems?: { Put?: { Item?: AttributeMap } }[];
  };
  if (call.operation === 'PutItem') return body.Item ? [body.Item] : [];
  if (call.operation === 'TransactWriteItems')
    return (body.TransactItems ?? []).flatMap((t) => (t.Put?.Item ? [t.Put.Item] : []));
  return [];
};

interface CrashPointCase {
  name: string;
  /** existing: pattern D, a claim then the message; new: pattern C, one transaction. */
  conversation: 'existing' | 'new';
  point: CrashPoint;
  operation: 'PutItem' | 'TransactWriteItems';
  itemType: 'client_message' | 'message';
  storedBeforeRetry: { claim: boolean; message: boolean };
  /** 201: the retry wrote the message; 200: it found (or finished) the interrupted one's. */
  retryStatus: number;
}

const crashPoints: CrashPointCase[] = [
  {
    name: 'its claim reached DynamoDB',
    conversation: 'existing',
    point: 'request',
    operation: 'PutItem',
    itemType: 'client_message',
    storedBeforeRetry: { claim: false, message: false },
    retryStatus: 201,
  },
  {
    name: 'its claim was written and its message reached DynamoDB',
    conversation: 'existing',
    point: 'request',
    operation: 'PutItem',
    itemType: 'message',
    storedBeforeRetry: { claim: true, message: false },
    retryStatus: 200,
  },
  {
    name: 'its message was written, the server not yet told',
    conversation: 'existing',
    point: 'answer',
    operation: 'PutItem',
    itemType: 'message',
    storedBeforeRetry: { claim: true, message: true },
    retryStatus: 200,
  },
  {
    name: 'the first message of a conversation was written, the server not yet told',
    conversation: 'new',
    point: 'answer',
    operation: 'TransactWriteItems',
    itemType: 'message',
    storedBeforeRetry: { claim: true, message: true },
    retryStatus: 200,
  },
];

type UpdateBody = {
  Key?: Record<string, { S?: string } | undefined>;
  UpdateExpression?: string;
  ExpressionAttributeValues?: Record<string, { S?: string } | undefined>;
};

interface MarkCrashCase {
  name: string;
  point: CrashPoint;
  /** Of three messages from the other: 1 leaves one unread (an UpdateItem of the row); 2 reads
   * all (a transaction of the row and the profile's unread_conversations). */
  index: 1 | 2;
  operation: 'UpdateItem' | 'TransactWriteItems';
  /** Whether the mark was stored before the retry. */
  written: boolean;
}

const markCrashPoints: MarkCrashCase[] = [
  {
    name: 'its mark reached DynamoDB',
    point: 'request',
    index: 1,
    operation: 'UpdateItem',
    written: false,
  },
  {
    name: 'its mark was written, the server not yet told',
    point: 'answer',
    index: 1,
    operation: 'UpdateItem',
    written: true,
  },
  {
    name: 'its mark of everything (with the profile count) reached DynamoDB',
    point: 'request',
    index: 2,
    operation: 'TransactWriteItems',
    written: false,
  },
  {
    name: 'its mark of everything (with the profile count) was written, the server not yet told',
    point: 'answer',
    index: 2,
    operation: 'TransactWriteItems',
    written: true,
  },
];

interface BlockCrashCase {
  name: string;
  action: 'block' | 'unblock';
  point: CrashPoint;
  /** Whether the interrupted transaction was written (both items) or not (neither). */
  written: boolean;
}

const blockCrashPoints: BlockCrashCase[] = [
  { name: 'its block reached DynamoDB', action: 'block', point: 'request', written: false },
  {
    name: 'its block was written, the server not yet told',
    action: 'block',
    point: 'answer',
    written: true,
  },
  { name: 'its unblock reached DynamoDB', action: 'unblock', point: 'request', written: false },
  {
    name: 'its unblock was written, the server not yet told',
    action: 'unblock',
    point: 'answer',
    written: true,
  },
];

interface UserCrashCase {
  name: string;
  point: CrashPoint;
  /** Whether the interrupted transaction was written (profile, handle, people items) or not. */
  written: boolean;
  /** 201: the retry created the user; 409 handle_taken: the interrupted creation stands. */
  retryStatus: number;
}

const userCrashPoints: UserCrashCase[] = [
  {
    name: "a user's creation (profile, handle and people items) reached DynamoDB",
    point: 'request',
    written: false,
    retryStatus: 201,
  },
  {
    name: "a user's creation was written, the server not yet told",
    point: 'answer',
    written: true,
    retryStatus: 409,
  },
];

type TransactBody = {
  TransactItems?: {
    Put?: { Item?: AttributeMap };
    Delete?: { Key?: AttributeMap };
  }[];
};

/** The status of an answer, or what cut the connection without one. */
const statusOf = async (response: Promise<Response>): Promise<number | string> => {
  try {
    return (await response).status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? String(error);
  }
};

describe('the server killed (SIGKILL) at an exact step of a send or a read mark (DynamoDB behind a proxy)', () => {
  const tableName = `server-crash-${randomUUID()}`;
  let proxy: CrashPointProxy;
  let server: RunningServer;
  beforeAll(async () => {
    proxy = await startCrashPointProxy(inject('dynamoEndpoint'));
    server = await startServer({
      web: false,
      env: { DYNAMODB_ENDPOINT: proxy.url, DDB_TABLE: tableName, SEED: '0' },
    });
  }, SERVER_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    const { client } = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    await dropTable(client, tableName);
    client.destroy();
  });

  let users = 0;
  const newUser = async (): Promise<{ handle: string; token: string }> => {
    const handle = `crash_${process.pid}_${++users}`;
    const created = await api(server.url, '/api/dev/users', {
      json: { handle, display_name: handle },
    });
    expect(created.status).toBe(201);
    return { handle, token: await signIn(server.url, handle) };
  };

  const scanTable = () => scanTableAt(inject('dynamoEndpoint'), tableName);
  const expectConvergedTable = () => expectConvergedAt(inject('dynamoEndpoint'), tableName);

  it.each(crashPoints)(
    'killed when $name: the send got no answer, and the retry ends with one message',
    async (c) => {
      const sender = await newUser();
      const recipient = await newUser();
      if (c.conversation === 'existing') {
        const first = await api(server.url, '/api/messages', {
          token: sender.token,
          json: { handle: recipient.handle, message: 'hello' },
        });
        expect(first.status).toBe(201);
      }
      const id = `crash-${randomUUID()}`;
      const caught = proxy.holdAt(
        c.point,
        (call) =>
          call.operation === c.operation &&
          itemsOf(call).some(
            (item) => item.item_type?.S === c.itemType && item.client_message_id?.S === id,
          ),
      );
      const report = await crashDuringSend(`killed when ${c.name}`, {
        server,
        stored: (clientMessageId) =>
          storedWith(inject('dynamoEndpoint'), tableName, clientMessageId),
        token: sender.token,
        body: { handle: recipient.handle, message: `survives: ${c.name}`, client_message_id: id },
        killWhen: (inFlight) =>
          Promise.race([
            caught,
            inFlight.then((outcome) => {
              throw new Error(`the send ended before the crash point: ${JSON.stringify(outcome)}`);
            }),
          ]),
        whileDown: () => proxy.release(),
      });
      expect(report.inFlight.kind).toBe('no answer');
      expect({
        claim: report.storedBeforeRetry.claim,
        message: report.storedBeforeRetry.messageUuids.length > 0,
      }).toEqual(c.storedBeforeRetry);
      // A retry attempt answered 503 may have finished the send: the next one then finds it.
      if (report.retryFailed.length === 0) expect(report.retryStatus).toBe(c.retryStatus);
      await expectConvergedTable();
    },
    120_000,
  );

  it.each(markCrashPoints)(
    'killed when $name: the mark got no answer, and its retry leaves exact counts',
    async (c) => {
      const sender = await newUser();
      const reader = await newUser();
      const me = async (token: string) =>
        (await (await api(server.url, '/api/me', { token })).json()) as {
          uuid: string;
          unread_conversations: number;
        };
      const readerUuid = (await me(reader.token)).uuid;
      const sent: SendAnswer[] = [];
      for (const text of ['one', 'two', 'three']) {
        const response = await api(server.url, '/api/messages', {
          token: sender.token,
          json: sent[0]
            ? { message_group_uuid: sent[0].message_group_uuid, message: text }
            : { handle: reader.handle, message: text },
        });
        expect(response.status).toBe(201);
        sent.push((await response.json()) as SendAnswer);
      }
      const group = sent[0]?.message_group_uuid ?? '';
      const readerRow = async () => {
        const response = await api(server.url, '/api/message_groups', { token: reader.token });
        const { message_groups } = (await response.json()) as {
          message_groups: { uuid: string; unread_count: number }[];
        };
        return message_groups.find((g) => g.uuid === group);
      };
      // Pattern E has counted all three before the mark: nothing else writes meanwhile.
      await pollUntil(async () => (await readerRow())?.unread_count === 3, 30_000);
      const target = sent[c.index]?.message.uuid ?? '';
      const sk = sortKeyOfMessageUuid(target);
      const caught = proxy.holdAt(c.point, (call) => {
        if (call.operation !== c.operation) return false;
        const body = call.body as UpdateBody & { TransactItems?: { Update?: UpdateBody }[] };
        const updates =
          call.operation === 'UpdateItem'
            ? [body]
            : (body.TransactItems ?? []).flatMap((t) => (t.Update ? [t.Update] : []));
        // The position by the message's uuid; read up to the row's own sk (the newest), the
        // row stores no position (compact).
        const marks = (u: UpdateBody) =>
          u.ExpressionAttributeValues?.[':last_read']?.S === target ||
          (u.Key?.sk?.S === sk &&
            u.UpdateExpression?.includes('REMOVE last_read, last_read_sk') === true);
        return updates.some((u) => u.Key?.pk?.S === `GRP#${readerUuid}` && marks(u));
      });
      const mark = () =>
        api(server.url, `/api/message_groups/${group}/read`, {
          token: reader.token,
          json: { message_uuid: target },
        });
      const inFlight = outcomeOf(mark());
      await Promise.race([
        caught,
        inFlight.then((outcome) => {
          throw new Error(`the mark ended before the crash point: ${JSON.stringify(outcome)}`);
        }),
      ]);
      await server.crashAndRestart(() => proxy.release());
      expect((await inFlight).kind).toBe('no answer');
      const rowBeforeRetry = (await scanTable()).find(
        (item) => item.pk === `GRP#${readerUuid}` && item.message_group_uuid === group,
      );
      expect(readPositionOf(rowBeforeRetry as unknown as MessageGroupItem) === sk).toBe(c.written);

      const retry = await untilAnswered(mark);
      expect(retry.status).toBe(200);
      const unread = 2 - c.index;
      expect(((await retry.json()) as { unread_count: number }).unread_count).toBe(unread);
      expect((await readerRow())?.unread_count).toBe(unread);
      expect((await me(reader.token)).unread_conversations).toBe(unread > 0 ? 1 : 0);
      const page = await api(server.url, `/api/messages/${group}`, { token: sender.token });
      expect(
        ((await page.json()) as { other_last_read_message_uuid: string | null })
          .other_last_read_message_uuid,
      ).toBe(target);
      await expectConvergedTable();
    },
    120_000,
  );

  it.each(blockCrashPoints)(
    'killed when $name: the block item and the mark are both there or neither, and the retry finishes it',
    async (c) => {
      const [blocker, blocked] = [await newUser(), await newUser()];
      const uuidOf = async (token: string) =>
        ((await (await api(server.url, '/api/me', { token })).json()) as { uuid: string }).uuid;
      const [blockerUuid, blockedUuid] = [await uuidOf(blocker.token), await uuidOf(blocked.token)];
      const call = (method: 'POST' | 'DELETE') =>
        fetch(`${server.url}/api/users/@${blocked.handle}/block`, {
          method,
          headers: { authorization: `Bearer ${blocker.token}` },
        });
      // They never talked: the block makes their pair item.
      if (c.action === 'unblock') expect((await call('POST')).status).toBe(204);
      const blockPk = `BLOCK#${blockerUuid}`;
      const [low, high] = [blockerUuid, blockedUuid].sort();
      const pairPk = `PAIR#${low}#${high}`;
      const state = async () => {
        const items = await scanTable();
        const pair = items.find((item) => item.pk === pairPk);
        return {
          block: items.some((item) => item.pk === blockPk && item.sk === blockedUuid),
          mark: pair?.blocked_by instanceof Set && pair.blocked_by.has(blockerUuid),
        };
      };

      const caught = proxy.holdAt(
        c.point,
        (dynamoCall) =>
          dynamoCall.operation === 'TransactWriteItems' &&
          ((dynamoCall.body as TransactBody).TransactItems ?? []).some(
            (t) => (t.Put?.Item?.pk?.S ?? t.Delete?.Key?.pk?.S) === blockPk,
          ),
      );
      const method = c.action === 'block' ? 'POST' : 'DELETE';
      const inFlight = statusOf(call(method));
      await Promise.race([
        caught,
        inFlight.then((outcome) => {
          throw new Error(`the ${c.action} ended before the crash point: ${outcome}`);
        }),
      ]);
      await server.crashAndRestart(() => proxy.release());
      expect(typeof (await inFlight)).toBe('string'); // no answer: the connection was cut

      const standing = c.action === 'block' ? c.written : !c.written;
      expect(await state()).toEqual({ block: standing, mark: standing });

      const retry = await untilAnswered(() => call(method));
      expect(retry.status).toBe(204);
      const blocks = c.action === 'block';
      expect(await state()).toEqual({ block: blocks, mark: blocks });
      // And it does what it says: the other's first message is refused, or starts a
      // conversation on the pair the block left.
      const send = await api(server.url, '/api/messages', {
        token: blocked.token,
        json: { handle: blocker.handle, message: `after a crash: ${c.name}` },
      });
      expect(send.status).toBe(blocks ? 403 : 201);
      await expectConvergedTable();
    },
    120_000,
  );

  it.each(userCrashPoints)(
    'killed when $name: the profile, its handle and its people items are all there or none, never a people item alone',
    async (c) => {
      const handle = `crash_${process.pid}_${++users}`;
      const displayName = `Zoë Crash-Point ${users}`;
      const create = () =>
        api(server.url, '/api/dev/users', { json: { handle, display_name: displayName } });
      const state = async () => {
        const items = await scanTable();
        const profiles = items.filter((i) => i.item_type === 'user' && i.handle === handle);
        const people = items.filter(
          (i) =>
            i.item_type === 'people_token' &&
            (i.sk === `H#${handle}` || String(i.sk).endsWith(`#${handle}`)),
        );
        const [profile] = profiles;
        const expected = profile
          ? peopleItems({ uuid: String(profile.user_uuid), handle, displayName })
          : [];
        return {
          profiles: profiles.length,
          handle: items.some((i) => i.pk === `HANDLE#${handle}`),
          // Exactly the profile's people items, each naming it: none of a user not there.
          people: people.length,
          peopleAreTheProfiles:
            people.length === expected.length &&
            expected.every((e) =>
              people.some(
                (p) =>
                  p.pk === e.pk &&
                  p.sk === e.sk &&
                  p.user_uuid === e.user_uuid &&
                  p.display_name === e.display_name,
              ),
            ),
        };
      };
      const { length: words } = peopleItems({ uuid: '', handle, displayName });

      const caught = proxy.holdAt(
        c.point,
        (call) =>
          call.operation === 'TransactWriteItems' &&
          itemsOf(call).some((item) => item.item_type?.S === 'user' && item.handle?.S === handle),
      );
      const inFlight = statusOf(create());
      await Promise.race([
        caught,
        inFlight.then((outcome) => {
          throw new Error(`the creation ended before the crash point: ${outcome}`);
        }),
      ]);
      // The restarted server backfills the people items of users that lack them: it can add
      // none here, since a user either exists with all of them or not at all.
      await server.crashAndRestart(() => proxy.release());
      expect(typeof (await inFlight)).toBe('string'); // no answer: the connection was cut
      expect(await state()).toEqual({
        profiles: c.written ? 1 : 0,
        handle: c.written,
        people: c.written ? words : 0,
        peopleAreTheProfiles: true,
      });

      const retry = await untilAnswered(create);
      expect(retry.status).toBe(c.retryStatus);
      expect(await state()).toEqual({
        profiles: 1,
        handle: true,
        people: words,
        peopleAreTheProfiles: true,
      });
      await expectConvergedTable();
    },
    120_000,
  );
});
