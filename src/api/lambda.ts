import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import awsLambdaFastify, { type LambdaResponse, type PromiseHandler } from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  cursorSecretArnOf,
  loadApiConfig,
  loadFunctionDatabaseConfig,
  remoteConnectionOf,
} from '../config.js';
import { connectDynamo } from '../store/clients.js';
import { buildApp } from './app.js';
import type { ApiContext } from './context.js';
import { createApiContext } from './create-context.js';
import { requestLogger } from './request-logger.js';

/** The same Fastify app as `npm start`, behind API Gateway HTTP API (payload format 2.0). */
export const createLambdaHandler = async (context: ApiContext, logger = requestLogger()) => {
  const app = await buildApp({ context, logger, compileSchemas: 'on-first-use' });
  const handler: ApiHandler = awsLambdaFastify<APIGatewayProxyEventV2>(app, {
    decorateRequest: false,
  });
  await app.ready();
  return { app, handler };
};

export type ApiHandler = PromiseHandler<APIGatewayProxyEventV2, LambdaResponse>;

let deployed: ApiHandler | undefined;

/**
 * The deployed entry: configuration from the environment, built once per container on the
 * first invocation. DYNAMODB_ENDPOINT, when set, points it at DynamoDB Local (tests); on AWS
 * the SDK finds DynamoDB itself.
 */
export const handler: ApiHandler = async (event, context) => {
  if (!deployed) {
    const env = { ...process.env };
    // The deployed stack keeps the cursor secret in Secrets Manager: fetched once per container.
    const secretArn = cursorSecretArnOf(env);
    if (secretArn) {
      const { SecretString } = await new SecretsManagerClient({}).send(
        new GetSecretValueCommand({ SecretId: secretArn }),
      );
      env.CURSOR_SECRET = SecretString;
    }
    const database = loadFunctionDatabaseConfig(env);
    const connection = connectDynamo(remoteConnectionOf(database));
    const apiContext = await createApiContext({
      config: loadApiConfig(env),
      connection,
      tableName: database.tableName,
    });
    deployed = (await createLambdaHandler(apiContext)).handler;
  }
  return deployed(event, context);
};
