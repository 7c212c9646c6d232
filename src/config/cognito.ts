import { ConfigError, type Env, readVariable } from './env-values.js';

export interface CognitoPool {
  userPoolId: string;
  clientId: string;
}

/**
 * The user pool and app client whose access tokens are accepted: the API in Cognito mode and
 * the WebSocket authorizer. `needer` names who needs them in the message.
 */
export const cognitoPoolOf = (env: Env, needer: string): CognitoPool => {
  const userPoolId = readVariable(env, 'COGNITO_USER_POOL_ID');
  const clientId = readVariable(env, 'COGNITO_CLIENT_ID');
  if (!userPoolId || !clientId)
    throw new ConfigError(`${needer} needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID.`);
  // AWS's own pattern for a pool id: a typo would otherwise refuse every token, not the start.
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId))
    throw new ConfigError(
      `COGNITO_USER_POOL_ID must be a user pool id such as us-east-1_AbC123xyz, got "${userPoolId}".`,
    );
  return { userPoolId, clientId };
};
