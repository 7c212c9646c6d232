import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { MessagingError } from '../messaging/errors.js';
import type { ConnectionItem } from '../messaging/items.js';
import { connectionKey, connectionPartition } from '../messaging/keys.js';
import { putNew } from '../messaging/requests/conditions.js';
import type { WriteRequest } from '../messaging/table-port.js';

/** API Gateway closes a connection after 2 hours; one forgotten longer is certainly dead. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 5 * 60;

export class ConnectionExistsError extends MessagingError {
  readonly code = 'connection_exists';
  constructor(connectionId: string) {
    super(`Connection ${connectionId} is registered already.`);
  }
}

export const connectionItem = (
  userUuid: string,
  connectionId: string,
  connectedAt: Date,
): ConnectionItem => ({
  ...connectionKey(userUuid, connectionId),
  item_type: 'connection',
  user_uuid: userUuid,
  connection_id: connectionId,
  connected_at: connectedAt.toISOString(),
  expires_at: Math.floor(connectedAt.getTime() / 1000) + CONNECTION_TTL_SECONDS,
});

/** `$connect`: a connection id is new by definition, so the Put is conditional like every create. */
export const putConnectionRequest = (tableName: string, item: ConnectionItem): WriteRequest => ({
  items: [putNew(tableName, item)],
  explain: () => new ConnectionExistsError(item.connection_id),
});

/** `$disconnect`, or a push answered 410: deleting what is gone already is fine. */
export const deleteConnectionRequest = (
  tableName: string,
  userUuid: string,
  connectionId: string,
): WriteRequest => ({
  items: [{ Delete: { TableName: tableName, Key: connectionKey(userUuid, connectionId) } }],
});

/**
 * Every open connection of a user, for a push. Eventually consistent (half the price): a
 * socket opened within the last moment may miss one push, and gets it by the refetch the
 * client does after every (re)connect.
 */
export const listConnectionsQuery = (tableName: string, userUuid: string): QueryCommandInput => ({
  TableName: tableName,
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': connectionPartition(userUuid) },
  ProjectionExpression: 'connection_id',
});
