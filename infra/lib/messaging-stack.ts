import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OperationsAlarms } from './alarms.js';
import { MessagingApi } from './api.js';
import { Auth } from './auth.js';
import { HttpApiGateway } from './http-api.js';
import { acknowledgeCdkProvidedFunctions } from './nag.js';
import { RealtimeApi, RealtimeGateway } from './realtime.js';
import type { StageConfig } from './stage-config.js';
import { StreamConsumer } from './stream-consumer.js';
import { MessagesTable } from './table.js';
import { Website } from './website.js';

export interface MessagingStackProps extends StackProps {
  config: StageConfig;
}

/**
 * Cruddur Messaging on AWS: the table and its stream consumer (pattern E), the API behind an
 * HTTP API with Cognito, and the web app on CloudFront, which also fronts /api/*.
 */
export class MessagingStack extends Stack {
  readonly messages: MessagesTable;
  readonly streamConsumer: StreamConsumer;
  readonly realtimeGateway: RealtimeGateway;
  readonly realtime: RealtimeApi;
  readonly gateway: HttpApiGateway;
  readonly website: Website;
  readonly auth: Auth;
  readonly api: MessagingApi;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: MessagingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logging = {
      logRetention: config.logRetention,
      logRemovalPolicy: config.logRemovalPolicy,
    };

    this.messages = new MessagesTable(this, 'Messages', {
      removalPolicy: config.dataRemovalPolicy,
      deletionProtection: config.dataDeletionProtection,
    });
    // The WebSocket API before what needs its URLs: the stream consumer pushes through it,
    // the web app's CSP lets the browser connect to it.
    this.realtimeGateway = new RealtimeGateway(this, 'Realtime', logging);
    this.streamConsumer = new StreamConsumer(this, 'StreamConsumer', {
      messages: this.messages,
      realtime: this.realtimeGateway,
      ...logging,
    });
    // Built in this order because each needs the one before: CloudFront points at the HTTP
    // API; Cognito returns to CloudFront's URL; the routes' authorizer needs Cognito's client.
    this.gateway = new HttpApiGateway(this, 'Gateway', logging);
    this.website = new Website(this, 'Web', {
      apiDomainName: this.gateway.domainName,
      realtimeOrigin: this.realtimeGateway.origin,
      webDistDir: config.webDistDir,
      autoDeleteBucket: config.autoDeleteWebBucket,
    });
    this.auth = new Auth(this, 'Auth', {
      stageName: config.stageName,
      webUrl: this.website.url,
      removalPolicy: config.dataRemovalPolicy,
      deletionProtection: config.dataDeletionProtection,
    });
    this.api = new MessagingApi(this, 'Api', {
      gateway: this.gateway,
      messages: this.messages,
      auth: this.auth,
      webOrigin: this.website.url,
      realtimeUrl: this.realtimeGateway.url,
      ...logging,
    });
    this.realtime = new RealtimeApi(this, 'RealtimeRoutes', {
      gateway: this.realtimeGateway,
      messages: this.messages,
      auth: this.auth,
      ...logging,
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      streamFunction: this.streamConsumer.function,
      deadLetterQueue: this.streamConsumer.deadLetterQueue,
      apiFunction: this.api.function,
      httpApi: this.gateway.httpApi,
      pushLogGroups: [this.streamConsumer.logGroup, this.realtime.handlerLogs],
    });
    acknowledgeCdkProvidedFunctions(this);
    this.#outputs();
  }

  #outputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('SiteUrl', this.website.url, 'The web app');
    output('ApiUrl', `${this.website.url}/api`, 'The API, on the web app origin (use this one)');
    output('ApiGatewayUrl', this.gateway.httpApi.apiEndpoint, 'The HTTP API itself, for debugging');
    output(
      'RealtimeUrl',
      this.realtimeGateway.url,
      'The realtime WebSocket (GET /api/config answers it): connect with ?access_token=',
    );
    output('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool (COGNITO_USER_POOL_ID)');
    output(
      'UserPoolClientId',
      this.auth.webClient.userPoolClientId,
      'Web client (COGNITO_CLIENT_ID)',
    );
    output(
      'UserPoolDomain',
      this.auth.domainUrl,
      'Hosted sign-in pages: /login, /signup, /oauth2/*',
    );
    output(
      'TableName',
      this.messages.table.tableName,
      'DynamoDB table (DDB_TABLE; ddb --aws --table)',
    );
    output(
      'DeadLetterQueueUrl',
      this.streamConsumer.deadLetterQueue.queueUrl,
      'Stream batches pattern E gave up on',
    );
  }
}
