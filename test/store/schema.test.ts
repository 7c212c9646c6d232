import { randomUUID } from 'node:crypto';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { connectDynamo } from '../../src/store/clients.js';
import { describeTable, dropTable, listTables, loadSchema } from '../../src/store/schema.js';
import { MESSAGE_GROUP_INDEX } from '../../src/store/table-definition.js';

describe('schema', () => {
  it('loads the seed table idempotently, then drops it', async () => {
    const { client } = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    const name = `schema-${randomUUID()}`;
    expect(await loadSchema(client, name)).toBe('created');
    const first = await describeTable(client, name);
    expect(await loadSchema(client, name)).toBe('exists');
    const second = await describeTable(client, name);
    expect(second?.CreationDateTime).toEqual(first?.CreationDateTime);

    expect(first?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(first?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(first?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: name }),
    );
    expect(TimeToLiveDescription).toEqual({
      AttributeName: 'expires_at',
      TimeToLiveStatus: 'ENABLED',
    });
    const [index] = first?.GlobalSecondaryIndexes ?? [];
    expect(index?.IndexName).toBe(MESSAGE_GROUP_INDEX);
    expect(index?.KeySchema).toEqual([
      { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(index?.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(await listTables(client)).toContain(name);

    expect(await dropTable(client, name)).toBe(true);
    expect(await dropTable(client, name)).toBe(false);
    expect(await listTables(client)).not.toContain(name);
    client.destroy();
  });
});
