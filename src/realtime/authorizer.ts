import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { UnauthorizedError } from '../api/errors.js';
import type { User } from '../messaging/model.js';
import { TOKEN_PARAMETER } from './frames.js';

/** What the authorizer hands to every later event of the connection (`requestContext.authorizer`). */
export interface RealtimeAuthorizerContext {
  user_uuid: string;
  handle: string;
}

/**
 * The `$connect` REQUEST authorizer: API Gateway's only place for auth on a WebSocket API.
 * Browsers cannot set headers on a WebSocket, so the access token is a query-string
 * parameter. No token: `Unauthorized` (API Gateway answers 401); a token it does not trust:
 * a Deny policy (403). Either way no socket opens.
 */
export const createRealtimeAuthorizer =
  (authenticate: (token: string) => Promise<User>) =>
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.[TOKEN_PARAMETER];
    if (!token) throw new Error('Unauthorized');
    // A token we do not trust is denied; anything else (DynamoDB unreachable) stays an error,
    // which API Gateway answers with 500, as it should: the client may retry.
    const user = await authenticate(token).catch((error: unknown) => {
      if (error instanceof UnauthorizedError) return undefined;
      throw error;
    });
    const context: RealtimeAuthorizerContext | undefined = user && {
      user_uuid: user.uuid,
      handle: user.handle,
    };
    return {
      principalId: user?.uuid ?? 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: user ? 'Allow' : 'Deny',
            Resource: event.methodArn,
          },
        ],
      },
      ...(context ? { context: { ...context } } : {}),
    };
  };

export const isAllowed = (result: APIGatewayAuthorizerResult): boolean =>
  result.policyDocument.Statement.some((s) => s.Effect === 'Allow');
