import {
  loadDatabaseConfig,
  MANAGEMENT_ENDPOINT_VARIABLE,
  managementEndpointOf,
  remoteConnectionOf,
} from '../config.js';
import { Messaging } from '../messaging/messaging.js';
import { ConnectionRegistry } from '../realtime/connection-registry.js';
import { managementClient } from '../realtime/management-client.js';
import { RealtimePusher } from '../realtime/pusher.js';
import { createStreamFanout } from '../realtime/stream-fanout.js';
import { connectDynamo } from '../store/clients.js';
import { createStreamHandler } from './handler.js';
import { streamTable } from './stream-table.js';

/**
 * The deployed stream function: the table comes from the environment (DDB_TABLE), the
 * client from the Lambda's role and region. Built once per container, reused per batch.
 * With REALTIME_MANAGEMENT_ENDPOINT (the WebSocket stage's Management API) it pushes what
 * pattern E did to the participants' open connections as each conversation of a batch is
 * done; without it, it pushes nothing and says so once.
 */
const database = loadDatabaseConfig({ ...process.env, DDB_TARGET: 'aws' });
const table = streamTable(connectDynamo(remoteConnectionOf(database)).doc, database.tableName);
const endpoint = managementEndpointOf(process.env);
if (!endpoint) console.warn(`stream: ${MANAGEMENT_ENDPOINT_VARIABLE} is not set: no realtime push`);

export const handler = createStreamHandler({
  table,
  afterStep:
    endpoint === undefined
      ? undefined
      : createStreamFanout(
          new RealtimePusher({
            registry: new ConnectionRegistry(table),
            client: managementClient(endpoint),
          }),
          new Messaging({ table }),
        ),
});
