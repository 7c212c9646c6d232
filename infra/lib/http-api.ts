import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
// The access log format class lives in the REST API module; HTTP APIs take the same one.
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface HttpApiGatewayProps {
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The HTTP API without its routes: its own construct so CloudFront can point at it before the
 * routes exist (the routes need the Cognito client, which needs CloudFront's URL).
 */
export class HttpApiGateway extends Construct {
  readonly httpApi: apigw.HttpApi;
  /** `<id>.execute-api.<region>.amazonaws.com`: CloudFront's origin for /api/*. */
  readonly domainName: string;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiGatewayProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Cruddur Messaging API (src/api/lambda.ts behind /api/*)',
      // The stage is declared below, with access logs and throttling.
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
      // A ceiling on what a flood can cost; the API's per-user send limit acts below it.
      throttle: { rateLimit: 100, burstLimit: 200 },
    });
    const stack = Stack.of(this);
    this.domainName = `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}
