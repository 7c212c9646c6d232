import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { onTestFinished } from 'vitest';
import type { CognitoTestPool } from '../../support/cognito-test-pool.js';
import { startBundleSession } from './bundle-session.js';
import { bundleOf, dynamoDbLocalEnv, stackEnvironmentOf } from './bundles.js';
import { cognitoJwksStandIn } from './cognito-jwks.js';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in.js';
import type { Synthesized } from './synthesize.js';

const API_FUNCTION = /HTTP API/;
export const CURSOR_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSecret-RtEsTs';

export interface DeployedAnswer {
  status: number | undefined;
  /** The JSON body; undefined when there is none. */
  body?: Record<string, unknown> | undefined;
}

/**
 * The deployed API function for the current test, as the stack configures it: one warm
 * container on `tableName` behind `dynamoEndpoint`, its Secrets Manager and Cognito's JWKS
 * endpoint answered by stand-ins (`pool`'s keys); ended when the test finishes.
 */
export const startDeployedApi = async (
  s: Synthesized,
  options: { pool: CognitoTestPool; tableName: string; dynamoEndpoint: string },
) => {
  const { pool, tableName, dynamoEndpoint } = options;
  const secrets = await startSecretsManagerStandIn({
    [CURSOR_SECRET_ARN]: randomBytes(24).toString('hex'),
  });
  onTestFinished(() => secrets.close());
  const jwks = cognitoJwksStandIn(pool.poolId, pool.jwks);
  const bundle = startBundleSession(
    bundleOf(s, API_FUNCTION),
    {
      ...dynamoDbLocalEnv(dynamoEndpoint),
      // What the function reads that the stack does not set stays unset, as on AWS.
      CURSOR_SECRET: undefined,
      EDIT_WINDOW_S: undefined,
      ...stackEnvironmentOf(s, API_FUNCTION, {
        COGNITO_USER_POOL_ID: pool.poolId,
        COGNITO_CLIENT_ID: pool.clientId,
        COGNITO_DOMAIN: 'https://cruddur-test.auth.us-east-1.amazoncognito.com',
        DDB_TABLE: tableName,
        WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
        REALTIME_URL: 'wss://abc123.execute-api.us-east-1.amazonaws.com/realtime',
        CURSOR_SECRET_ARN,
      }),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      ...jwks.env,
    },
    'handler',
    jwks.options,
  );
  onTestFinished(() => bundle.close());
  const invoke = async (event: APIGatewayProxyEventV2): Promise<DeployedAnswer> => {
    const result = (await bundle.invoke(event)) as APIGatewayProxyStructuredResultV2;
    const json = /^application\/json/.test(String(result.headers?.['content-type']));
    return { status: result.statusCode, body: json ? JSON.parse(String(result.body)) : undefined };
  };
  return { invoke, secrets, jwks };
};
