import './runtime/node-version-notice.js';
import { buildApp } from './api/app.js';
import { LocalIssuer } from './api/auth/local-issuer.js';
import { createApiContext } from './api/create-context.js';
import { prettyLogStream } from './api/pretty-log.js';
import { requestLogger } from './api/request-logger.js';
import { ConfigError, loadStartConfig, remoteLocalModeWarning } from './config.js';
import { LocalRuntimeError } from './local/errors.js';
import { loadOrCreateLocalSecrets } from './local/local-secrets.js';
import { onShutdown, shutdown } from './local/shutdown.js';
import { backfillPeople } from './messaging/people-backfill.js';
import { attachLocalRealtime } from './realtime/local-gateway/start-local-realtime.js';
import { openDatabase } from './runtime/database.js';
import { builtWebApp } from './runtime/web-root.js';
import { seedDemoData } from './seed/seed.js';
import { DynamoTable } from './store/dynamo-table.js';
import { loadSchema } from './store/schema.js';
import { startLocalConsumer } from './stream/local/start-local-consumer.js';

/** `npm start`: the whole product on one machine. */
const main = async (): Promise<void> => {
  // Every refusal of the configuration comes before DynamoDB Local starts.
  const config = loadStartConfig();
  const { api: apiConfig, database: databaseConfig } = config;
  const warning = remoteLocalModeWarning(apiConfig);
  if (warning) console.warn(warning);
  const database = await openDatabase(databaseConfig, {
    owner: 'npm start',
    shareRunningInstance: false,
  });
  const { client, doc } = database.connection;
  const created = (await loadSchema(client, databaseConfig.tableName)) === 'created';
  const table = new DynamoTable(doc, { tableName: databaseConfig.tableName });
  if (created && config.seedDemoData) {
    const report = await seedDemoData(table);
    console.log(
      `seeded ${report.usersCreated} demo users and ${report.conversationsCreated} conversations`,
    );
  } else if (!created && databaseConfig.target.kind !== 'aws') {
    // A local table from before people search: its users get their items. Once they have them
    // this is one Scan (the demo table: 10.5 RCU, 30-65 ms on a loaded 2-core machine) and no
    // write. On AWS, run `ddb backfill-people` once instead.
    const report = await backfillPeople(table);
    if (report.itemsWritten > 0)
      console.log(
        `people search: items written for users created before it (${report.itemsWritten})`,
      );
  }
  const { dataDir } = config;
  const context = await createApiContext({
    config: apiConfig,
    connection: database.connection,
    tableName: databaseConfig.tableName,
    localSecrets:
      apiConfig.authMode === 'local'
        ? await loadOrCreateLocalSecrets(dataDir, () => LocalIssuer.generateJwk())
        : undefined,
  });
  const webRoot = builtWebApp();
  if (!webRoot)
    console.warn('web/dist is missing: the API runs, the web app needs `npm run build`.');
  const logStream = config.log.format === 'pretty' ? prettyLogStream() : undefined;
  const app = await buildApp({ context, logger: requestLogger(config.log, logStream), webRoot });
  // On AWS the deployed Lambdas consume the stream and push; locally, our event source and
  // our gateway do, and what the consumer does is pushed to browsers and to the inspector.
  const realtime =
    databaseConfig.target.kind === 'aws'
      ? undefined
      : await attachLocalRealtime(
          app,
          context,
          new DynamoTable(doc, { tableName: databaseConfig.tableName }),
          config.localGateway,
        );
  await app.listen({ port: apiConfig.port, host: apiConfig.host });
  onShutdown(() => app.close());
  if (realtime) {
    const live = realtime.start();
    // Sockets close before the server and the database, so each $disconnect is recorded.
    onShutdown(() => live.close());
    const consumer = await startLocalConsumer({
      connection: database.connection,
      tableName: databaseConfig.tableName,
      dataDir,
      settings: config.stream,
      afterStep: live.fanout,
      observer: context.inspector?.feed.observer,
    });
    onShutdown(() => consumer.stop());
    consumer.done.catch(async (error: unknown) => {
      console.error('stream consumer stopped:', error);
      await shutdown();
      process.exit(1);
    });
  }

  onShutdown(() => console.log('stopped'));
  console.log(
    `Cruddur Messaging is ready at http://localhost:${apiConfig.port} (API docs: /api/docs; ` +
      `table ${databaseConfig.tableName} on ${database.where}). Ctrl-C stops.`,
  );
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
