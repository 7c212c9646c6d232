import { describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createApiContext } from '../../src/api/create-context.js';
import { loadApiConfig } from '../../src/config.js';
import { CostLedger } from '../../src/costs/cost-ledger.js';
import { costMiddleware } from '../../src/costs/cost-middleware.js';
import { connectDynamo } from '../../src/store/clients.js';

const getItem = { input: { TableName: 't', Key: { pk: 'USER#1', sk: 'USER' } } };
const answered = async (args: { input: object }) => ({ output: { Item: { pk: 'USER#1' } }, args });

describe('the cost middleware', () => {
  it('passes every request straight on while nobody watches: the same arguments, nothing recorded', async () => {
    const ledger = new CostLedger();
    const seen: object[] = [];
    const handler = costMiddleware(ledger)(
      async (args) => {
        seen.push(args);
        return answered(args);
      },
      { commandName: 'GetItemCommand' },
    );
    await handler(getItem);
    expect(seen).toEqual([getItem]);
    expect(seen[0]).toBe(getItem);
    expect(ledger.entries()).toEqual([]);
  });

  it('while watched, asks a read for its consumed capacity and records it; a request outside any cause is an entry of its own', async () => {
    const ledger = new CostLedger();
    const stop = ledger.subscribe(() => {});
    const seen: { input: Record<string, unknown> }[] = [];
    const handler = costMiddleware(ledger)(
      async (args) => {
        seen.push(args as never);
        return {
          output: {
            Item: { pk: 'USER#1' },
            ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 },
          },
        };
      },
      { commandName: 'GetItemCommand' },
    );
    await handler(getItem);
    stop();
    expect(seen[0]?.input.ReturnConsumedCapacity).toBe('TOTAL');
    expect(getItem.input).not.toHaveProperty('ReturnConsumedCapacity');
    expect(ledger.entries()).toEqual([
      expect.objectContaining({
        source: 'outside any request',
        rcu: 0.5,
        wcu: 0,
        requests: [expect.objectContaining({ operation: 'GetItem', items_read: 1, rcu: 0.5 })],
      }),
    ]);
  });

  it('charges a write whose condition failed, by the cost model, and lets the error through', async () => {
    const ledger = new CostLedger();
    const stop = ledger.subscribe(() => {});
    const refused = Object.assign(new Error('refused'), {
      name: 'ConditionalCheckFailedException',
    });
    const handler = costMiddleware(ledger)(
      async () => {
        throw refused;
      },
      { commandName: 'PutItemCommand' },
    );
    await expect(
      handler({
        input: { TableName: 't', Item: { pk: 'GRP#1', sk: 'x', message_group_uuid: 'g' } },
      }),
    ).rejects.toBe(refused);
    stop();
    expect(ledger.entries()[0]?.requests).toEqual([
      expect.objectContaining({
        operation: 'PutItem',
        wcu: 2,
        gsi_wcu: 1,
        failed: true,
        items_written: 0,
      }),
    ]);
  });
});

describe('outside local mode', () => {
  it('meters nothing and has no cost routes (404) in cognito mode', async () => {
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    const context = await createApiContext({
      config: {
        ...loadApiConfig({}),
        authMode: 'cognito',
        cognito: { userPoolId: 'us-east-1_abcdefghi', clientId: 'web' },
        cursorSecret: Buffer.alloc(32),
      },
      connection,
      tableName: 'no-table',
    });
    expect(context.inspector).toBeUndefined();
    expect(connection.client.middlewareStack.identify().join()).not.toContain('costLedger');
    const app = await buildApp({ context });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      for (const path of [
        '/api/inspect/costs',
        '/api/inspect/costs?limit=5',
        '/api/inspect/costs/stream',
      ]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, path).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'not_found',
        );
      }
    } finally {
      await app.close();
      connection.client.destroy();
    }
  });

  it('meters the connection in local mode', async () => {
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    const context = await createApiContext({
      config: loadApiConfig({ AUTH_MODE: 'local' }),
      connection,
      tableName: 'no-table',
    });
    expect(context.inspector?.costs.recording).toBe(false);
    expect(connection.client.middlewareStack.identify().join()).toContain('costLedger');
    connection.client.destroy();
  });
});
