import { join } from 'node:path';
import { type DatabaseConfig, remoteConnectionOf } from '../config.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LocalRuntimeError } from '../local/errors.js';
import { freePort } from '../local/free-port.js';
import { claimInstance, readInstance, releaseInstance } from '../local/instance-file.js';
import { onShutdown } from '../local/shutdown.js';
import { connectDynamo, type DynamoConnection } from '../store/clients.js';

export interface Database {
  connection: DynamoConnection;
  tableName: string;
  /** Human description of where the data is, for start-up lines and CLI output. */
  where: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Named in the data dir's instance file, so another process can say who holds it. */
  owner: string;
  /** Use a DynamoDB Local that another process runs on the same data dir (CLI), or refuse. */
  shareRunningInstance: boolean;
}

export const openDatabase = async (
  config: DatabaseConfig,
  options: OpenOptions,
): Promise<Database> => {
  const { target, tableName, client } = config;
  if (target.kind !== 'embedded') {
    const connection = connectDynamo(remoteConnectionOf(config));
    return {
      connection,
      tableName,
      where: target.kind === 'aws' ? `DynamoDB (${connection.region})` : target.endpoint,
      close: async () => connection.client.destroy(),
    };
  }

  const running = readInstance(target.dataDir);
  if (running) {
    if (!options.shareRunningInstance) {
      throw new LocalRuntimeError(
        'data_dir_in_use',
        `${target.dataDir} is in use by ${running.owner} (pid ${running.pid}) at ${running.endpoint}. ` +
          'Stop it, or choose another DATA_DIR.',
      );
    }
    const connection = connectDynamo({ ...client, endpoint: running.endpoint });
    return {
      connection,
      tableName,
      where: `${running.endpoint} (DynamoDB Local of ${running.owner}, ${target.dataDir})`,
      close: async () => connection.client.destroy(),
    };
  }

  // Claim the data dir before java opens it: two JVMs on one -dbPath corrupt it.
  const port = target.port ?? (await freePort());
  const claimed = claimInstance(target.dataDir, {
    pid: process.pid,
    endpoint: `http://127.0.0.1:${port}`,
    owner: options.owner,
    startedAt: new Date().toISOString(),
  });
  if (!claimed) {
    throw new LocalRuntimeError(
      'data_dir_in_use',
      `${target.dataDir} was claimed by another process just now.`,
    );
  }
  let local: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  try {
    local = await startDynamoDbLocal({
      storage: { dbPath: join(target.dataDir, 'dynamodb') },
      port,
    });
  } catch (error) {
    releaseInstance(target.dataDir, process.pid);
    throw error;
  }
  const connection = connectDynamo({ ...client, endpoint: local.endpoint });
  const close = async () => {
    connection.client.destroy();
    await local.stop();
    releaseInstance(target.dataDir, process.pid);
  };
  onShutdown(close);
  return {
    connection,
    tableName,
    where: `${local.endpoint} (embedded DynamoDB Local, ${target.dataDir})`,
    close,
  };
};
