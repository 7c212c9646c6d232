import '../../runtime/node-version-notice.js';
import { ConfigError, dataDirOf, loadDatabaseConfig, loadStreamSettings } from '../../config.js';
import { LocalRuntimeError } from '../../local/errors.js';
import { onShutdown, shutdown } from '../../local/shutdown.js';
import { openDatabase } from '../../runtime/database.js';
import { loadSchema } from '../../store/schema.js';
import { startLocalConsumer } from './start-local-consumer.js';

/**
 * `npm run stream`: the stream consumer alone, e.g. beside an API that runs elsewhere.
 * `npm start` runs one already, so this refuses a data dir that `npm start` holds.
 */
const main = async (): Promise<void> => {
  const config = loadDatabaseConfig();
  if (config.target.kind === 'aws') {
    throw new ConfigError('On AWS the deployed Lambda consumes the stream; run this locally.');
  }
  // Refused before DynamoDB Local starts, as npm start does.
  const settings = loadStreamSettings();
  const dataDir = dataDirOf(process.env);
  const database = await openDatabase(config, {
    owner: 'npm run stream',
    shareRunningInstance: false,
  });
  await loadSchema(database.connection.client, config.tableName);
  const consumer = await startLocalConsumer({
    connection: database.connection,
    tableName: config.tableName,
    dataDir,
    settings,
    // One JSON line per outcome and one per checkpoint written: whoever watches (a developer,
    // the consumer-crash test) sees what was applied and what is durable.
    observer: (outcome) => {
      if (outcome.kind !== 'skipped' || outcome.reason !== 'not_a_message_insert')
        console.log(JSON.stringify(outcome));
    },
    onCheckpoint: (shardId, position) => {
      console.log(JSON.stringify({ kind: 'checkpoint', shardId, ...position }));
    },
  });
  onShutdown(() => consumer.stop());
  console.log(
    `stream consumer: ${config.tableName} on ${database.where}; Ctrl-C stops after the batch in hand`,
  );
  await consumer.done;
};

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof LocalRuntimeError)
    console.error(`npm run stream: ${error.message}`);
  else console.error(error);
  await shutdown();
  process.exit(1);
}
