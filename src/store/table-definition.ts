import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { MESSAGE_GROUP_INDEX } from '../messaging/keys.js';

export { MESSAGE_GROUP_INDEX };

export const DEFAULT_TABLE_NAME = 'cruddur-messages';

/** The TTL attribute: connection items expire by it (a `$disconnect` may never come). */
export const TTL_ATTRIBUTE = 'expires_at';

/**
 * The seed's table: string keys pk/sk, on-demand, a stream with new and old images (pattern
 * E reads the new image; old images let a consumer see what a MODIFY replaced), and the
 * sparse GSI over group rows. The CDK stack declares the same table.
 */
export const tableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'message_group_uuid', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: MESSAGE_GROUP_INDEX,
      KeySchema: [
        { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});
