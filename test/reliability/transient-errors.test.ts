import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { Messaging } from '../../src/messaging/messaging.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();

/**
 * A client whose first `failures` attempts of each request fail the way DynamoDB fails under
 * pressure, injected in the SDK's own middleware stack (below its retry strategy).
 */
const flakyClient = (failures: number, error: () => Error) => {
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
  const attempts = new Map<unknown, number>();
  let total = 0;
  connection.client.middlewareStack.add(
    (next, context) => async (args) => {
      total++;
      const seen = (attempts.get(context) ?? 0) + 1;
      attempts.set(context, seen);
      if (seen <= failures) throw error();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectFailures' },
  );
  return { connection, attempts: () => total };
};

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ProvisionedThroughputExceededException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    $retryable: { throttling: true },
  });
const serverError = () =>
  Object.assign(new Error('Internal server error'), {
    name: 'InternalServerError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });

describe('throttling and transient errors', () => {
  it('retries throttling with backoff until the request succeeds', async () => {
    const { connection, attempts } = flakyClient(1, throttled);
    const messaging = new Messaging({
      table: new DynamoTable(connection.doc, { tableName: t.tableName }),
    });
    const user = await messaging.createUser({ handle: 'flaky_one', displayName: 'Flaky' });
    expect(await messaging.getUser(user.uuid)).toEqual(user);
    expect(attempts()).toBe(4); // two requests, each refused once, then answered
  });

  it('retries 5xx answers until the request succeeds', async () => {
    const { connection } = flakyClient(2, serverError);
    const output = await connection.client.send(
      new GetItemCommand({ TableName: t.tableName, Key: { pk: { S: 'x' }, sk: { S: 'y' } } }),
    );
    expect(output.$metadata.attempts).toBe(3);
  });

  it('gives up with a clear unavailable error, quickly, when the errors persist', async () => {
    const { connection, attempts } = flakyClient(100, serverError);
    const messaging = new Messaging({
      table: new DynamoTable(connection.doc, { tableName: t.tableName }),
    });
    const started = Date.now();
    await expect(messaging.getUserByHandle('flaky_one')).rejects.toMatchObject({
      code: 'unavailable',
    });
    // Quickly means few attempts: the client's 3, once, and no retry loop above it.
    expect(attempts()).toBe(3);
    await expect(
      messaging.sendMessage({
        sender: {
          uuid: '00000000-0000-4000-8000-000000000001',
          handle: 'a_user',
          displayName: 'A',
        },
        to: { messageGroupUuid: '00000000-0000-4000-8000-000000000002' },
        message: 'hello',
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(attempts()).toBe(6);
    // And short waits between them (the SDK's backoff is a fraction of a second): far below
    // this bound, which only a wait for something that will not come (a hang) could reach.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
