import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { ConfigError } from '../config.js';

/**
 * Where the deployed functions post frames: API Gateway's Management API of the WebSocket
 * stage, `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`, which the stack sets
 * on every function that pushes. One variable for the route handler and the stream consumer
 * (rather than the handler deriving it from each event's domain name and stage): the same
 * value in both, one client per container, and a stand-in reachable in tests.
 */
export const MANAGEMENT_ENDPOINT_VARIABLE = 'REALTIME_MANAGEMENT_ENDPOINT';

type Env = Record<string, string | undefined>;

/** The Management API endpoint from the environment; undefined when it is not set. */
export const managementEndpointOf = (env: Env): string | undefined => {
  const endpoint = env[MANAGEMENT_ENDPOINT_VARIABLE] || undefined;
  if (endpoint && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(endpoint))
    throw new ConfigError(
      `${MANAGEMENT_ENDPOINT_VARIABLE} must be an http(s) URL, got "${endpoint}".`,
    );
  return endpoint;
};

/**
 * The real SDK client for that endpoint. Credentials and region come from the Lambda's
 * environment. A post that hangs is abandoned after a few seconds and counted as failed:
 * the stream consumer awaits every push before it returns.
 */
export const managementClient = (endpoint: string): ApiGatewayManagementApiClient =>
  new ApiGatewayManagementApiClient({
    endpoint,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
