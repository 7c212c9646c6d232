import { describe, expect, it } from 'vitest';
import { Messaging } from '../../src/messaging/messaging.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { sendThrough, type TestApi, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

/**
 * The OpenAPI document lists, for each route, every status the route can answer: each probe
 * here provokes one status and requires the document to list it for that route.
 */
const t = withTestTable();
const api = withApi(t);
/** DynamoDB gone: nothing listens on port 9 of loopback. */
const unreachable = connectDynamo({ endpoint: 'http://127.0.0.1:9' });
const outage = withApi(t, {
  messaging: new Messaging({ table: new DynamoTable(unreachable.doc, { tableName: t.tableName }) }),
  checkHealth: async () => false,
});

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Operation {
  security?: unknown[];
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
  responses: Record<string, unknown>;
}
interface Spec {
  info: { description: string };
  paths: Record<string, Partial<Record<Method, Operation>>>;
}

const specOf = async (of: TestApi): Promise<Spec> =>
  (await (await of.request('/api/openapi.json')).json()) as Spec;

/** Every operation of the document, with a URL for it (path parameters filled in). */
const operationsOf = (spec: Spec, fill: (name: string) => string) =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      url: path.replace(/\{(\w+)\}/g, (_, name: string) => fill(name)),
      operation: operation as Operation,
    })),
  );

const ANY_UUID = '00000000-0000-4000-8000-000000000001';
const fillValid = (name: string) => (name === 'handle' ? 'nobody_here' : ANY_UUID);

/** Bodies valid enough to reach the handler, so that what it does decides the answer. */
const VALID_BODIES: Record<string, unknown> = {
  'POST /api/messages': { handle: 'nobody_here', message: 'hi' },
  'PATCH /api/messages/{message_group_uuid}/{message_uuid}': { message: 'edited' },
  'POST /api/message_groups/{message_group_uuid}/read': { message_uuid: ANY_UUID },
  'POST /api/dev/users': { handle: 'nobody_here', display_name: 'Nobody' },
  'POST /api/dev/sessions': { handle: 'nobody_here' },
};

const expectDocumented = (spec: Spec, name: string, status: number) => {
  const [method, path] = name.split(' ') as [string, string];
  const operation = spec.paths[path]?.[method.toLowerCase() as Method];
  expect(operation, name).toBeDefined();
  expect(Object.keys(operation?.responses ?? {}), `${name} answered ${status}`).toContain(
    String(status),
  );
};

describe('the OpenAPI document', () => {
  it('says once that a first Cognito request can answer 409 handle_taken', async () => {
    expect((await specOf(api)).info.description).toContain('409 `handle_taken`');
  });

  it('marks exactly the routes that need no token with `security: []`', async () => {
    const spec = await specOf(api);
    for (const { name, method, url, operation } of operationsOf(spec, fillValid)) {
      const response = await api.request(url, { method });
      const open = Array.isArray(operation.security) && operation.security.length === 0;
      expect(response.status === 401, `${name} without a token: ${response.status}`).toBe(!open);
      expectDocumented(spec, name, response.status);
    }
  });

  it('lists 503 on every route that reads or writes DynamoDB', async () => {
    const spec = await specOf(outage);
    // Its first request reads the user behind the token: DynamoDB's outage answers it.
    const token = await outage.issuer.issue({ uuid: ANY_UUID, handle: 'x', displayName: 'X' });
    const untouched = ['GET /api/config', 'GET /api/auth/config'];
    for (const { name, method, url } of operationsOf(spec, fillValid)) {
      const body = VALID_BODIES[name];
      const response = await outage.request(url, {
        method,
        token,
        ...(body === undefined ? {} : { json: body }),
      });
      if (!untouched.includes(name)) expect(response.status, name).toBe(503);
      expectDocumented(spec, name, response.status);
    }
  });

  it('lists 413 and 415 on every route that takes a body, 400 on every route with path parameters', async () => {
    const spec = await specOf(api);
    const { token } = await api.signedInUser('bodies');
    const operations = operationsOf(spec, fillValid);
    for (const { name, method, url } of operations.filter((o) => o.operation.requestBody)) {
      const tooLarge = await api.request(url, {
        method,
        token,
        json: { message: 'x'.repeat(20_000) },
      });
      expect(tooLarge.status, name).toBe(413);
      expectDocumented(spec, name, 413);
      const text = await api.request(url, {
        method,
        token,
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(text.status, name).toBe(415);
      expectDocumented(spec, name, 415);
    }
    const withParams = operationsOf(spec, () => 'x'.repeat(65)).filter((o) =>
      o.operation.parameters?.some((p) => p.in === 'path'),
    );
    expect(withParams.length).toBeGreaterThan(0);
    for (const { name, method, url } of withParams) {
      const body = VALID_BODIES[name];
      const response = await api.request(url, {
        method,
        token,
        ...(body === undefined ? {} : { json: body }),
      });
      expect(response.status, name).toBe(400);
      expectDocumented(spec, name, 400);
    }
  });

  it('lists 403 on a send while one of the two blocks the other', async () => {
    const spec = await specOf(api);
    const [ann, bob] = [await api.signedInUser('ann'), await api.signedInUser('bob')];
    const { message_group_uuid } = await sendThrough(api, ann.token, {
      handle: bob.user.handle,
      message: 'hi',
    });
    const blocked = await api.request(`/api/users/@${ann.user.handle}/block`, {
      method: 'POST',
      token: bob.token,
    });
    expect(blocked.status).toBe(204);
    const send = await api.request('/api/messages', {
      method: 'POST',
      token: ann.token,
      json: { message_group_uuid, message: 'still there?' },
    });
    expect(send.status).toBe(403);
    expectDocumented(spec, 'POST /api/messages', 403);
  });
});
