import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';

/** The variable's name, for the stack (infra/) that sets it beside this client. */
export { MANAGEMENT_ENDPOINT_VARIABLE } from '../config/realtime-management.js';

/**
 * The real SDK client for the WebSocket stage's Management API (REALTIME_MANAGEMENT_ENDPOINT,
 * read and checked in src/config/realtime-management.ts). Credentials and region come from
 * the Lambda's environment. A post that hangs is abandoned after a few seconds and counted as failed:
 * the stream consumer awaits every push before it returns.
 */
export const managementClient = (endpoint: string): ApiGatewayManagementApiClient =>
  new ApiGatewayManagementApiClient({
    endpoint,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
