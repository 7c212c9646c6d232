import './runtime/node-version-notice.js';
import { ConfigError, loadDatabaseConfig } from './config.js';
import { LocalRuntimeError } from './local/errors.js';
import { onShutdown, shutdown } from './local/shutdown.js';
import { openDatabase } from './runtime/database.js';
import { seedDemoData } from './seed/seed.js';
import { DynamoTable } from './store/dynamo-table.js';
import { loadSchema } from './store/schema.js';

/** `npm start`: the whole product on one machine. */
const main = async (): Promise<void> => {
  const config = loadDatabaseConfig();
  const database = await openDatabase(config, { owner: 'npm start', shareRunningInstance: false });
  const created = (await loadSchema(database.connection.client, config.tableName)) === 'created';
  if (created && process.env.SEED !== '0') {
    const report = await seedDemoData(
      new DynamoTable(database.connection.doc, { tableName: config.tableName }),
    );
    console.log(
      `seeded ${report.usersCreated} demo users and ${report.conversationsCreated} conversations`,
    );
  }
  onShutdown(() => console.log('stopped'));
  console.log(`cruddur-messaging: table ${config.tableName} on ${database.where}; Ctrl-C stops`);
};

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof LocalRuntimeError)
    console.error(`npm start: ${error.message}`);
  else console.error(error);
  await shutdown();
  process.exit(1);
}
