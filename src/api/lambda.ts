import awsLambdaFastify from '@fastify/aws-lambda';
import { loadDatabaseConfig } from '../config.js';
import { connectDynamo } from '../store/clients.js';
import { loadApiConfig } from './api-config.js';
import { buildApp } from './app.js';
import { createApiContext } from './create-context.js';
import { requestLogger } from './request-logger.js';

/**
 * The API as a Lambda behind an API Gateway HTTP API (payload format 2.0): the very same
 * Fastify app as `npm start`, built once per container. DYNAMODB_ENDPOINT, when set, points it
 * at DynamoDB Local (tests); on AWS the SDK finds DynamoDB itself.
 */
const database = loadDatabaseConfig({
  ...process.env,
  DDB_TARGET: process.env.DYNAMODB_ENDPOINT ? 'endpoint' : 'aws',
});
const connection = connectDynamo({
  endpoint: database.target.kind === 'endpoint' ? database.target.endpoint : undefined,
});
const app = await buildApp({
  context: await createApiContext({
    config: loadApiConfig(),
    connection,
    tableName: database.tableName,
  }),
  logger: requestLogger(),
});

export const handler = awsLambdaFastify(app, { decorateRequest: false });
await app.ready();
