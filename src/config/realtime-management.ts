import { ConfigError, type Env, readVariable } from './env-values.js';

/**
 * Where the deployed functions post frames: API Gateway's Management API of the WebSocket
 * stage, `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`, which the stack sets
 * on every function that pushes. One variable for the route handler and the stream consumer
 * (rather than the handler deriving it from each event's domain name and stage): the same
 * value in both, one client per container (src/realtime/management-client.ts), and a
 * stand-in reachable in tests.
 */
export const MANAGEMENT_ENDPOINT_VARIABLE = 'REALTIME_MANAGEMENT_ENDPOINT';

/** The Management API endpoint, an http(s) URL; undefined when it is not set. */
export const managementEndpointOf = (env: Env): string | undefined => {
  const endpoint = readVariable(env, MANAGEMENT_ENDPOINT_VARIABLE);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(endpoint))
    throw new ConfigError(
      `${MANAGEMENT_ENDPOINT_VARIABLE} must be an http(s) URL, got "${endpoint}".`,
    );
  return endpoint;
};
