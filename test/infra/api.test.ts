import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionIds,
  getAtt,
  onlyResource,
  type Synthesized,
  synthesize,
  tableStatementsOfLeastPrivilegeRole,
} from './support/synthesize.js';

const API_FUNCTION = { Properties: { Description: Match.stringLikeRegexp('HTTP API') } };
/** The HTTP API's own resources; the realtime WebSocket API's are in realtime.test.ts. */
const OF_HTTP_API = () => ({ Properties: { ApiId: { Ref: ids.api } } });

let s: Synthesized;
let ids: Record<'table' | 'fn' | 'role' | 'logs' | 'secret' | 'api' | 'pool' | 'client', string>;
beforeAll(() => {
  s = synthesize();
  ids = {
    ...functionIds(s.template, API_FUNCTION),
    secret: onlyResource(s.template, 'AWS::SecretsManager::Secret').id,
    api: onlyResource(s.template, 'AWS::ApiGatewayV2::Api', {
      Properties: { ProtocolType: 'HTTP' },
    }).id,
    pool: onlyResource(s.template, 'AWS::Cognito::UserPool').id,
    client: onlyResource(s.template, 'AWS::Cognito::UserPoolClient').id,
  };
});
afterAll(() => s.cleanup());

const resources = () => s.template.toJSON().Resources;

describe('the API function', () => {
  it('runs src/api/lambda.ts on Node 22, ARM, outside any VPC', () => {
    const p = resources()[ids.fn].Properties;
    expect(p.Runtime).toBe('nodejs22.x');
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.Handler).toBe('index.handler');
    expect(p.VpcConfig).toBeUndefined();
    expect(p.LoggingConfig).toEqual({ LogGroup: { Ref: ids.logs } });
  });

  it('is configured for Cognito, the table, the web origin and the cursor secret by ARN', () => {
    const distribution = onlyResource(s.template, 'AWS::CloudFront::Distribution').id;
    expect(resources()[ids.fn].Properties.Environment).toEqual({
      Variables: {
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: { Ref: ids.pool },
        COGNITO_CLIENT_ID: { Ref: ids.client },
        COGNITO_DOMAIN: {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: onlyResource(s.template, 'AWS::Cognito::UserPoolDomain').id },
              '.auth.',
              { Ref: 'AWS::Region' },
              '.amazoncognito.com',
            ],
          ],
        },
        DDB_TABLE: { Ref: ids.table },
        WEB_ORIGIN: { 'Fn::Join': ['', ['https://', getAtt(distribution, 'DomainName')]] },
        REALTIME_URL: s.stack.resolve(s.stack.realtimeGateway.url),
        CURSOR_SECRET_ARN: { Ref: ids.secret },
        SEND_RATE_LIMIT: '120',
        LOG_LEVEL: 'info',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  it('never has the cursor secret itself in the template', () => {
    expect(JSON.stringify(s.template.toJSON())).not.toMatch(/resolve:secretsmanager/);
    expect(resources()[ids.secret].Properties).toEqual({
      Description: expect.stringContaining('CURSOR_SECRET'),
      GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 48 },
    });
  });

  it('may do exactly what the API does in Cognito mode, and nothing else', () => {
    expect(tableStatementsOfLeastPrivilegeRole(s.template, ids)).toEqual([
      {
        Sid: 'ReadItems',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: getAtt(ids.table, 'Arn'),
      },
      {
        Sid: 'FindGroupRowsOnTheIndex',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [getAtt(ids.table, 'Arn'), '/index/message-group-sk-index']] },
      },
      {
        Sid: 'WriteItems',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: getAtt(ids.table, 'Arn'),
      },
      {
        Sid: 'HealthCheck',
        Effect: 'Allow',
        Action: 'dynamodb:DescribeTable',
        Resource: getAtt(ids.table, 'Arn'),
      },
      {
        Sid: 'ReadCursorSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: ids.secret },
      },
    ]);
  });
});

describe('the HTTP API', () => {
  const routes = () =>
    Object.values(s.template.findResources('AWS::ApiGatewayV2::Route', OF_HTTP_API())).map(
      ({ Properties: p }) => ({
        route: p.RouteKey,
        auth: p.AuthorizationType,
        authorizer: p.AuthorizerId?.Ref,
      }),
    );

  it('sends /api/* to the function with a Cognito JWT authorizer; only health, sign-in and client config, and docs are open', () => {
    const authorizer = onlyResource(s.template, 'AWS::ApiGatewayV2::Authorizer', OF_HTTP_API()).id;
    expect(routes().sort((a, b) => a.route.localeCompare(b.route))).toEqual([
      { route: 'ANY /api/{proxy+}', auth: 'JWT', authorizer },
      { route: 'GET /api/auth/config', auth: 'NONE', authorizer: undefined },
      { route: 'GET /api/config', auth: 'NONE', authorizer: undefined },
      { route: 'GET /api/docs', auth: 'NONE', authorizer: undefined },
      { route: 'GET /api/docs/{proxy+}', auth: 'NONE', authorizer: undefined },
      { route: 'GET /api/health', auth: 'NONE', authorizer: undefined },
      { route: 'GET /api/openapi.json', auth: 'NONE', authorizer: undefined },
    ]);
  });

  it("checks tokens of the web client of this stack's user pool", () => {
    const { resource } = onlyResource(s.template, 'AWS::ApiGatewayV2::Authorizer', OF_HTTP_API());
    expect(resource.Properties).toEqual({
      ApiId: { Ref: ids.api },
      AuthorizerType: 'JWT',
      Name: 'Cognito',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: ids.client }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: ids.pool }],
          ],
        },
      },
    });
  });

  it('integrates every route with the one function, payload format 2.0', () => {
    const { id, resource } = onlyResource(
      s.template,
      'AWS::ApiGatewayV2::Integration',
      OF_HTTP_API(),
    );
    expect(resource.Properties).toEqual({
      ApiId: { Ref: ids.api },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: getAtt(ids.fn, 'Arn'),
      PayloadFormatVersion: '2.0',
    });
    for (const route of Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Route', OF_HTTP_API()),
    )) {
      expect(route.Properties.Target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: id }]] });
    }
  });

  it('has one auto-deployed stage with access logs and throttling', () => {
    const { resource } = onlyResource(s.template, 'AWS::ApiGatewayV2::Stage', OF_HTTP_API());
    const p = resource.Properties;
    expect(p.StageName).toBe('$default');
    expect(p.AutoDeploy).toBe(true);
    expect(p.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
    const accessLogs = p.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(JSON.parse(accessLogs.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      authorizerError: '$context.authorizer.error',
    });
    const logGroup = (accessLogs.DestinationArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(resources()[logGroup].Properties).toEqual({ RetentionInDays: 7 });
  });
});
