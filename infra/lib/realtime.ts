import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
// The access log format class lives in the REST API module; API Gateway v2 stages take it too.
import { AccessLogFormat, CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TOKEN_PARAMETER } from '../../src/realtime/frames.js';
import { MANAGEMENT_ENDPOINT_VARIABLE } from '../../src/realtime/management-client.js';
import { ACTION_ROUTES } from '../../src/realtime/websocket-handler.js';
import type { Auth } from './auth.js';
import { acknowledgeWildcardResources } from './nag.js';
import { REALTIME_ENTRY } from './paths.js';
import { ServiceFunction } from './service-function.js';
import type { MessagesTable } from './table.js';

/** The stage's name, the URL's path: `wss://…/realtime`, as `npm start` serves `/realtime`. */
export const REALTIME_STAGE = 'realtime';

export interface RealtimeGatewayProps {
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The WebSocket API and its stage, without routes: its own construct because the web app's
 * CSP and the stream consumer need its URLs before the route functions exist (they need the
 * Cognito client, which needs CloudFront's URL).
 */
export class RealtimeGateway extends Construct {
  readonly webSocketApi: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  readonly accessLogs: logs.LogGroup;
  /** `wss://{apiId}.execute-api.{region}.amazonaws.com/realtime`: clients connect here. */
  readonly url: string;
  /** `wss://{apiId}.execute-api.{region}.amazonaws.com`: the web app's CSP connect-src. */
  readonly origin: string;
  /** `https://…/realtime`: the Management API, where functions post frames. */
  readonly managementEndpoint: string;

  constructor(scope: Construct, id: string, props: RealtimeGatewayProps) {
    super(scope, id);
    this.webSocketApi = new apigw.WebSocketApi(this, 'WebSocketApi', {
      description: 'Cruddur Messaging realtime push (src/realtime/lambda.ts)',
      // Client frames are {"action": ...}: src/realtime/frames.ts.
      routeSelectionExpression: '$request.body.action',
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // Unlike HTTP APIs, WebSocket APIs log through the account's API Gateway CloudWatch role.
    const account = this.#cloudWatchRole();
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: REALTIME_STAGE,
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // No query string, ever: it carries the access token (`?access_token=`).
        format: AccessLogFormat.custom(JSON.stringify(REALTIME_ACCESS_LOG_FORMAT)),
      },
      // A ceiling on what a flood of frames can cost, across all connections of the stage.
      throttle: { rateLimit: 100, burstLimit: 200 },
    });
    this.stage.node.addDependency(account);
    this.url = this.stage.url;
    this.origin = this.webSocketApi.apiEndpoint;
    this.managementEndpoint = this.stage.callbackUrl;
  }

  /**
   * `execute-api:ManageConnections` for PostToConnection (a POST to `@connections/{id}`), the
   * one Management API request the functions make (src/realtime/pusher.ts), on this stage's
   * connections and nothing else: not GetConnection (GET), not DeleteConnection (DELETE), not
   * another stage.
   */
  grantManageConnections(grantee: iam.Role): void {
    const connectionsOfStage = `${this.stage.stageName}/POST/@connections/*`;
    grantee.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PostToConnections',
        actions: ['execute-api:ManageConnections'],
        resources: [
          Stack.of(this).formatArn({
            service: 'execute-api',
            resource: this.webSocketApi.apiId,
            resourceName: connectionsOfStage,
          }),
        ],
      }),
    );
    acknowledgeWildcardResources(
      grantee,
      `/${connectionsOfStage}`,
      'PostToConnection on the connections of this one WebSocket stage: connection ids are ' +
        'created by API Gateway at runtime, one per client connection, so they cannot be ' +
        'named in the policy.',
    );
  }

  /**
   * API Gateway needs an account-level role to write a WebSocket stage's logs (HTTP APIs do
   * not). Its permissions are those of AWS's AmazonAPIGatewayPushToCloudWatchLogs policy,
   * written out instead of attached. The setting is per account and region: deploying sets it
   * to this role (any role it replaces had the same permissions).
   */
  #cloudWatchRole(): CfnAccount {
    const role = new iam.Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway account setting: writes WebSocket stage logs to CloudWatch',
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: [
                'logs:CreateLogGroup',
                'logs:CreateLogStream',
                'logs:DescribeLogGroups',
                'logs:DescribeLogStreams',
                'logs:PutLogEvents',
                'logs:GetLogEvents',
                'logs:FilterLogEvents',
              ],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    // Kept with the stack gone: the account setting would otherwise name a deleted role.
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "API Gateway uses the account's one CloudWatch role for the logs of every API in the " +
        'region, so it cannot be limited to this stack: the permissions of AWS-managed ' +
        'AmazonAPIGatewayPushToCloudWatchLogs.',
    });
    const account = new CfnAccount(this, 'ApiGatewayAccount', {
      cloudWatchRoleArn: role.roleArn,
    });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return account;
  }
}

/** What each WebSocket request leaves in the access log: no query string, so no token. */
export const REALTIME_ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  integrationLatency: '$context.integrationLatency',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
};

export interface RealtimeApiProps {
  gateway: RealtimeGateway;
  messages: MessagesTable;
  auth: Auth;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The WebSocket API's functions and routes: `$connect` behind a Lambda REQUEST authorizer
 * (the only auth a WebSocket API has; the token comes in the query string, browsers cannot
 * set headers), and every route, `$connect` included, to one handler.
 */
export class RealtimeApi extends Construct {
  readonly authorizerFunction: lambda.IFunction;
  readonly handlerFunction: lambda.IFunction;
  /** The handler's log group: its failed pushes (typing) count in the push alarm. */
  readonly handlerLogs: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: RealtimeApiProps) {
    super(scope, id);
    const { table } = props.messages;
    const { gateway } = props;
    const logging = {
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };

    const authorizer = new ServiceFunction(this, 'Authorizer', {
      entry: REALTIME_ENTRY,
      handler: 'authorizer',
      description: 'Realtime $connect authorizer: Cognito access tokens (src/realtime/lambda.ts)',
      memorySize: 256,
      // API Gateway waits 29 s for an authorizer; DynamoDB calls give up after a few seconds.
      timeout: Duration.seconds(10),
      environment: {
        DDB_TABLE: table.tableName,
        COGNITO_USER_POOL_ID: props.auth.userPool.userPoolId,
        COGNITO_CLIENT_ID: props.auth.webClient.userPoolClientId,
      },
      ...logging,
    });
    // Exactly src/api/auth/resolve-user.ts: read the user, create one seen for the first time
    // (a transaction of conditional Puts: the profile, its handle and its people-search items,
    // which IAM authorizes as PutItem).
    authorizer.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndCreateUsers',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
      }),
    );

    const handler = new ServiceFunction(this, 'Handler', {
      entry: REALTIME_ENTRY,
      handler: 'handler',
      description: 'Realtime WebSocket routes: connections, typing, ping (src/realtime/lambda.ts)',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: {
        DDB_TABLE: table.tableName,
        [MANAGEMENT_ENDPOINT_VARIABLE]: gateway.managementEndpoint,
      },
      ...logging,
    });
    // Exactly src/realtime/connection-registry.ts and the reads of `typing`: create a connection
    // item, delete it, read a conversation (its participants) and its pair (blocks), list a
    // user's connections.
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConnectionsAndParticipants',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
      }),
    );
    gateway.grantManageConnections(handler.role);

    this.authorizerFunction = authorizer.function;
    this.handlerFunction = handler.function;
    this.handlerLogs = handler.logGroup;
    this.#addRoutes(gateway.webSocketApi);
  }

  #addRoutes(api: apigw.WebSocketApi): void {
    const integration = new WebSocketLambdaIntegration('Routes', this.handlerFunction);
    api.addRoute('$connect', {
      integration,
      authorizer: new WebSocketLambdaAuthorizer('Connect', this.authorizerFunction, {
        identitySource: [`route.request.querystring.${TOKEN_PARAMETER}`],
      }),
    });
    for (const routeKey of ['$disconnect', '$default', ...ACTION_ROUTES]) {
      const route = api.addRoute(routeKey, { integration });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'A WebSocket API authorizes only at $connect: every later frame of a connection ' +
          'comes from a connection the authorizer admitted, and carries its user.',
      });
    }
  }
}
