import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Auth } from './auth.js';
import type { HttpApiGateway } from './http-api.js';
import { API_ENTRY, SWAGGER_UI_STATIC_DIR } from './paths.js';
import { ServiceFunction } from './service-function.js';
import type { MessagesTable } from './table.js';

export interface MessagingApiProps {
  gateway: HttpApiGateway;
  messages: MessagesTable;
  auth: Auth;
  /** The only origin the API's CORS allows: the CloudFront URL. */
  webOrigin: string;
  /** The realtime WebSocket's stage URL: GET /api/config answers it (REALTIME_URL). */
  realtimeUrl: string;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * Routes without a Cognito authorizer at the gateway: health, the sign-in and client
 * configuration, the OpenAPI document and its docs page need no token. Everything else needs
 * a valid access token twice: at the gateway, and again in the function (defence in depth).
 */
export const PUBLIC_ROUTES = [
  '/api/health',
  '/api/auth/config',
  '/api/config',
  '/api/openapi.json',
  '/api/docs',
  '/api/docs/{proxy+}',
] as const;

/**
 * Modules of src/api/ bundled into files of their own beside the API's, each imported by its
 * path on the first request that needs it, so that a cold start does not compile them:
 * - the API docs page (Swagger UI and what only it needs: @fastify/static, glob, mime, yaml),
 *   on the first request for /api/docs (src/api/docs-routes.ts);
 * - the OpenAPI document's maker (@fastify/swagger, its schema resolver, yaml), on the first
 *   request for /api/openapi.json or the docs page (src/api/openapi.ts).
 */
const SEPARATE_MODULES = Object.fromEntries(
  ['docs-page', 'openapi-document'].map((name) => [
    `./${name}.js`,
    join(dirname(API_ENTRY), `${name}.ts`),
  ]),
);
const IP_ADDRESS_STUB = fileURLToPath(new URL('./stubs/ip-address.ts', import.meta.url));

/**
 * The AWS SDK's credential sources after the environment, which its default chain imports only
 * when the environment has no credentials: a Lambda function always has its role's there
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). With the STS, SSO and sign-in
 * clients they bring, about 140 KB the API's cold start no longer compiles.
 */
const CREDENTIAL_SOURCES_BEYOND_THE_ENVIRONMENT = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/** The Fastify app of src/api/ as a Lambda behind the HTTP API (payload format 2.0). */
export class MessagingApi extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.Role;
  readonly cursorSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: MessagingApiProps) {
    super(scope, id);
    const { table, messageGroupIndexArn } = props.messages;
    const { userPool, webClient } = props.auth;

    // Every API instance must sign pagination cursors with the same key; a generated secret
    // keeps the key out of the template, the environment and the repository.
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Cruddur Messaging: HMAC key of pagination cursors (CURSOR_SECRET)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Losing it only invalidates cursors in flight: a new one is generated on re-create.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor key has no rotation Lambda: the API reads it once per container, and a ' +
        'rotated key would reject every cursor signed before; rotate by re-creating the secret.',
    });

    const service = new ServiceFunction(this, 'Handler', {
      entry: API_ENTRY,
      description: 'Cruddur Messaging HTTP API (Fastify, src/api/lambda.ts)',
      memorySize: 512,
      // API Gateway gives up after 30 s. The DynamoDB client abandons an attempt unanswered
      // after 2 s, 3 attempts in all (src/store/clients.ts): an outage answers 503 well within.
      timeout: Duration.seconds(15),
      environment: {
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: userPool.userPoolId,
        COGNITO_CLIENT_ID: webClient.userPoolClientId,
        // The hosted sign-in pages the web app sends people to (GET /api/auth/config).
        COGNITO_DOMAIN: props.auth.domainUrl,
        DDB_TABLE: table.tableName,
        WEB_ORIGIN: props.webOrigin,
        REALTIME_URL: props.realtimeUrl,
        // src/api/lambda.ts resolves CURSOR_SECRET from this ARN once per container.
        CURSOR_SECRET_ARN: this.cursorSecret.secretArn,
        // Per container: concurrent containers each allow this many sends a minute.
        SEND_RATE_LIMIT: '120',
        LOG_LEVEL: 'info',
      },
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      // @fastify/swagger-ui reads its page and assets from files next to the bundle.
      afterBundling: (_inputDir, outputDir) => [
        `node -e "require('node:fs').cpSync(process.argv[1], process.argv[2], { recursive: true })" "${SWAGGER_UI_STATIC_DIR}" "${outputDir}/static"`,
      ],
      separateModules: SEPARATE_MODULES,
      // @fastify/rate-limit's default key (a client's address); the API's is the user.
      stubbedPackages: { 'ip-address': IP_ADDRESS_STUB },
      // About 35 ms of each cold start. Errors in the logs keep their `code` and message (a 5xx
      // is logged with its cause, whose AWS error names are their own); their class names and
      // the stack's function names are minified: index.mjs.map beside the bundle maps them.
      keepNames: false,
      leftOutPackages: [
        // Imported by src/api/app.ts only to serve a built web app (npm start), never here.
        '@fastify/static',
        // Fastify's default validator compiler: the Lambda's app names its own from the start
        // (src/api/lazy-schemas.ts), so Fastify never loads it.
        '@fastify/ajv-compiler',
        ...CREDENTIAL_SOURCES_BEYOND_THE_ENVIRONMENT,
      ],
    });
    this.function = service.function;
    this.role = service.role;

    // Exactly the requests of src/store/dynamo-table.ts on the API's paths (src/api/routes/).
    // No Scan: the routes that scan exist only in local mode. TransactWriteItems has no IAM
    // action of its own: each item in it is authorized as its own PutItem, UpdateItem or
    // DeleteItem (no request of the API has a ConditionCheck item).
    // Reads: users, handles, pairs, conversations, claims and messages (GetItem); messages,
    // conversation lists, blocks and people search (Query on the table).
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadItems',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
      }),
    );
    // A conversation's group rows, found by the sparse GSI: read marks (POST .../read) and
    // "Seen" (GET /api/messages/{group}) in src/messaging/read-marks.ts.
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindGroupRowsOnTheIndex',
        actions: ['dynamodb:Query'],
        resources: [messageGroupIndexArn],
      }),
    );
    // Writes, alone or in a transaction: conditional creates (users, messages, claims, blocks:
    // PutItem); starting a conversation (the pair claim, the recipient's unread count), read
    // marks, edits and unsends, blocks and unblocks (UpdateItem); an unblock removes the block
    // item (DeleteItem).
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteItems',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
      }),
    );
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'HealthCheck',
        actions: ['dynamodb:DescribeTable'],
        resources: [table.tableArn],
      }),
    );
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCursorSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.cursorSecret.secretArn],
      }),
    );

    this.#addRoutes(props.gateway.httpApi, props.auth);
  }

  #addRoutes(httpApi: apigw.HttpApi, auth: Auth): void {
    const integration = new HttpLambdaIntegration('Fastify', this.function, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    // A JWT authorizer: API Gateway checks the token's signature, issuer, expiry and client
    // (access tokens carry `client_id`, checked when `aud` is absent) before any invocation.
    const authorizer = new HttpUserPoolAuthorizer('Cognito', auth.userPool, {
      userPoolClients: [auth.webClient],
      identitySource: ['$request.header.Authorization'],
    });
    httpApi.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration,
      authorizer,
    });
    for (const path of PUBLIC_ROUTES) {
      for (const route of httpApi.addRoutes({
        path,
        methods: [apigw.HttpMethod.GET],
        integration,
      })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Public by design: health check, sign-in and client configuration, OpenAPI document ' +
            'and API docs carry no user data.',
        });
      }
    }
  }
}
