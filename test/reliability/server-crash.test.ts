import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDynamo } from '../../src/store/clients.js';
import { scanAll } from '../../src/store/scan-all.js';
import { dropTable } from '../../src/store/schema.js';
import {
  type CrashPoint,
  type CrashPointProxy,
  type DynamoCall,
  startCrashPointProxy,
} from '../support/crash-point-proxy.js';
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
  const stored = (id: string) => {
    const { endpoint } = JSON.parse(
      readFileSync(join(server.dataDir, 'dynamodb-local.json'), 'utf8'),
    ) as { endpoint: string };
    return storedWith(endpoint, 'cruddur-messages', id);
  };

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

describe('the server killed (SIGKILL) at an exact step of a send (DynamoDB behind a proxy)', () => {
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
    },
    120_000,
  );
});
