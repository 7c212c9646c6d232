import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import type { ApiContext } from '../../src/api/context.js';
import { localApiContext } from '../../src/api/create-context.js';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import type { User } from '../../src/messaging/model.js';
import { type TestTable, uniqueHandle } from './test-table.js';

export interface TestApi {
  context: ApiContext;
  issuer: LocalIssuer;
  /** Real HTTP on loopback. */
  url(path: string): string;
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  signedInUser(name?: string): Promise<{ user: User; token: string }>;
}

/** The API over real HTTP on a free loopback port, on the test table, for one test file. */
export const withApi = (t: TestTable, overrides: Partial<ApiContext> = {}): TestApi => {
  let app: FastifyInstance;
  let base = '';
  let issuer: LocalIssuer;
  let context: ApiContext;

  beforeAll(async () => {
    issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    context = localApiContext(
      t.messaging({ cursors: createCursorCodec(Buffer.alloc(32, 1)) }),
      issuer,
      tableHealthCheck(t.connection.client, t.tableName),
      overrides,
    );
    app = await buildApp({ context });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  return {
    get context() {
      return context;
    },
    get issuer() {
      return issuer;
    },
    url: (path) => `${base}${path}`,
    request: (path, init = {}) => {
      const { token, json, headers, ...rest } = init;
      return fetch(`${base}${path}`, {
        ...rest,
        headers: {
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    signedInUser: async (name = 'user') => {
      const user = await context.messaging.createUser({
        handle: uniqueHandle(name),
        displayName: `${name} name`,
      });
      return { user, token: await issuer.issue(user) };
    },
  };
};

export const errorOf = async (
  response: Response,
): Promise<{ status: number; code: string; message: string }> => {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
};

/** What `POST /api/messages` answers with a new message. */
export interface SentMessage {
  message_group_uuid: string;
  message: { uuid: string };
}

/** Sends through the API and requires a 201. */
export const sendThrough = async (
  api: TestApi,
  token: string,
  body: Record<string, string>,
): Promise<SentMessage> => {
  const response = await api.request('/api/messages', { method: 'POST', token, json: body });
  expect(response.status).toBe(201);
  return (await response.json()) as SentMessage;
};
