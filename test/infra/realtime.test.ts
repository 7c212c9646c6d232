import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILED_PUSH_LOG_PATTERN } from '../../infra/lib/alarms.js';
import { REALTIME_ACCESS_LOG_FORMAT } from '../../infra/lib/realtime.js';
import {
  functionIds,
  getAtt,
  onlyResource,
  type Synthesized,
  synthesize,
  tableStatementsOfLeastPrivilegeRole,
} from './support/synthesize.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});
afterAll(() => s.cleanup());

const described = (pattern: string) => ({
  Properties: { Description: Match.stringLikeRegexp(pattern) },
});
const resources = () => s.template.toJSON().Resources;
const ws = () =>
  onlyResource(s.template, 'AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'WEBSOCKET' } });
const ofWs = () => ({ Properties: { ApiId: { Ref: ws().id } } });
const authorizerFn = () => functionIds(s.template, described('\\$connect authorizer'));
const handlerFn = () => functionIds(s.template, described('WebSocket routes'));
const streamFn = () => functionIds(s.template, described('^Pattern E'));
const region = { Ref: 'AWS::Region' };
const suffix = { Ref: 'AWS::URLSuffix' };
/** `<scheme>://{apiId}.execute-api.{region}.{suffix}/realtime` as CloudFormation writes it. */
const stageUrl = (scheme: 'wss' | 'https') => ({
  'Fn::Join': [
    '',
    [`${scheme}://`, { Ref: ws().id }, '.execute-api.', region, '.', suffix, '/realtime'],
  ],
});

describe('the realtime WebSocket API', () => {
  it('routes on the action of JSON frames', () => {
    expect(ws().resource.Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('has $connect behind the REQUEST authorizer, and every route on the one handler', () => {
    const authorizer = onlyResource(s.template, 'AWS::ApiGatewayV2::Authorizer', ofWs());
    const integration = onlyResource(s.template, 'AWS::ApiGatewayV2::Integration', ofWs());
    expect(integration.resource.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: {
        'Fn::Join': ['', expect.arrayContaining([getAtt(handlerFn().fn, 'Arn')])],
      },
    });
    const routes = Object.values(s.template.findResources('AWS::ApiGatewayV2::Route', ofWs()))
      .map(({ Properties: p }) => ({
        route: p.RouteKey,
        auth: p.AuthorizationType,
        authorizer: p.AuthorizerId?.Ref,
        target: p.Target,
      }))
      .sort((a, b) => a.route.localeCompare(b.route));
    const target = { 'Fn::Join': ['', ['integrations/', { Ref: integration.id }]] };
    expect(routes).toEqual([
      { route: '$connect', auth: 'CUSTOM', authorizer: authorizer.id, target },
      { route: '$default', auth: 'NONE', authorizer: undefined, target },
      { route: '$disconnect', auth: 'NONE', authorizer: undefined, target },
      { route: 'ping', auth: 'NONE', authorizer: undefined, target },
      { route: 'typing', auth: 'NONE', authorizer: undefined, target },
    ]);
  });

  it("authorizes with the authorizer function, the token from the query string's access_token", () => {
    const { resource } = onlyResource(s.template, 'AWS::ApiGatewayV2::Authorizer', ofWs());
    expect(resource.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.access_token'],
      AuthorizerUri: {
        'Fn::Join': ['', expect.arrayContaining([getAtt(authorizerFn().fn, 'Arn')])],
      },
    });
  });

  it('has one throttled stage, /realtime, auto-deployed, logging requests without query strings', () => {
    const { resource } = onlyResource(s.template, 'AWS::ApiGatewayV2::Stage', ofWs());
    const p = resource.Properties as Record<string, unknown> & {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [string] }; Format: string };
    };
    expect(p.StageName).toBe('realtime');
    expect(p.AutoDeploy).toBe(true);
    expect(p.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
    const format = p.AccessLogSettings.Format;
    expect(JSON.parse(format)).toEqual(REALTIME_ACCESS_LOG_FORMAT);
    // Nothing that could carry the token: the query string, the path, request parameters.
    expect(format).not.toMatch(/querystring|query|requestOverride|path|params|input\./i);
    const logGroup = p.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(resources()[logGroup].Properties).toEqual({ RetentionInDays: 7 });
    // WebSocket stages log through the account's API Gateway CloudWatch role.
    const account = onlyResource(s.template, 'AWS::ApiGateway::Account');
    expect(resource.DependsOn).toEqual(expect.arrayContaining([account.id]));
  });
});

describe('the realtime functions', () => {
  it('run src/realtime/lambda.ts (authorizer and handler exports) on Node 22, ARM', () => {
    for (const [ids, handler] of [
      [authorizerFn(), 'index.authorizer'],
      [handlerFn(), 'index.handler'],
    ] as const) {
      const p = resources()[ids.fn].Properties;
      expect(p).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: handler,
      });
      expect(p.LoggingConfig).toEqual({ LogGroup: { Ref: ids.logs } });
    }
  });

  it('are configured: Cognito for the authorizer, the Management API for the handler', () => {
    const pool = onlyResource(s.template, 'AWS::Cognito::UserPool').id;
    const client = onlyResource(s.template, 'AWS::Cognito::UserPoolClient').id;
    const a = authorizerFn();
    expect(resources()[a.fn].Properties.Environment.Variables).toEqual({
      DDB_TABLE: { Ref: a.table },
      COGNITO_USER_POOL_ID: { Ref: pool },
      COGNITO_CLIENT_ID: { Ref: client },
      NODE_OPTIONS: '--enable-source-maps',
    });
    const h = handlerFn();
    expect(resources()[h.fn].Properties.Environment.Variables).toEqual({
      DDB_TABLE: { Ref: h.table },
      REALTIME_MANAGEMENT_ENDPOINT: stageUrl('https'),
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('may do on the table exactly what they need', () => {
    const a = authorizerFn();
    expect(tableStatementsOfLeastPrivilegeRole(s.template, a)).toEqual([
      {
        Sid: 'ReadAndCreateUsers',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: getAtt(a.table, 'Arn'),
      },
    ]);
    const h = handlerFn();
    expect(tableStatementsOfLeastPrivilegeRole(s.template, h)).toEqual([
      {
        Sid: 'ConnectionsAndParticipants',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        Resource: getAtt(h.table, 'Arn'),
      },
      expect.objectContaining({ Action: 'execute-api:ManageConnections' }),
    ]);
  });
});

describe('pushing', () => {
  it("lets exactly the handler and the stream consumer post to this stage's connections", () => {
    const grants = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
        .filter((statement) => JSON.stringify(statement.Action).includes('execute-api'))
        .map((statement) => ({ roles: policy.Properties.Roles, statement })),
    );
    const connections = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          region,
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: ws().id },
          // PostToConnection (src/realtime/pusher.ts) only: POST. Connection ids are made at
          // runtime, so any connection of this stage (cdk-nag's finding, acknowledged).
          '/realtime/POST/@connections/*',
        ],
      ],
    };
    expect(grants).toHaveLength(2);
    expect(grants).toEqual(
      expect.arrayContaining(
        [handlerFn(), streamFn()].map((ids) =>
          expect.objectContaining({
            roles: [{ Ref: ids.role }],
            statement: {
              Sid: 'PostToConnections',
              Effect: 'Allow',
              Action: 'execute-api:ManageConnections',
              Resource: connections,
            },
          }),
        ),
      ),
    );
  });

  it('tells the stream consumer where to push, and the API where clients connect', () => {
    expect(resources()[streamFn().fn].Properties.Environment.Variables).toMatchObject({
      REALTIME_MANAGEMENT_ENDPOINT: stageUrl('https'),
    });
    const api = functionIds(s.template, described('HTTP API'));
    expect(resources()[api.fn].Properties.Environment.Variables).toMatchObject({
      REALTIME_URL: stageUrl('wss'),
    });
  });

  it("lets the web app connect: the WebSocket's wss origin in the CSP connect-src", () => {
    const policies = Object.values(
      s.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    ).map(
      (p) =>
        p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
          .ContentSecurityPolicy,
    );
    expect(policies).toHaveLength(2);
    for (const csp of policies) {
      const [, parts] = csp['Fn::Join'] as [string, unknown[]];
      const at = parts.findIndex(
        (part) => JSON.stringify(part) === JSON.stringify(getAtt(ws().id, 'ApiEndpoint')),
      );
      expect(at).toBeGreaterThan(0);
      // The origin closes the connect-src directive that the part before it opened.
      expect(String(parts[at - 1])).toMatch(
        /; connect-src 'self' https:\/\/\*\.amazoncognito\.com $/,
      );
      expect(String(parts[at + 1])).toMatch(/^; frame-ancestors/);
    }
  });

  it('alarms on failed pushes logged by the stream consumer or the handler', () => {
    const filters = Object.values(s.template.findResources('AWS::Logs::MetricFilter'));
    expect(
      filters
        .map((f) => f.Properties)
        .sort((a, b) => (a.LogGroupName.Ref < b.LogGroupName.Ref ? -1 : 1)),
    ).toEqual(
      [streamFn().logs, handlerFn().logs].sort().map((logs) => ({
        LogGroupName: { Ref: logs },
        FilterPattern: FAILED_PUSH_LOG_PATTERN,
        MetricTransformations: [
          { MetricNamespace: 'CruddurMessaging', MetricName: 'FailedPushes', MetricValue: '1' },
        ],
      })),
    );
    const [alarm, ...others] = Object.entries(
      s.template.findResources('AWS::CloudWatch::Alarm'),
    ).filter(([id]) => id.startsWith('AlarmsRealtimePushFailures'));
    expect(others).toEqual([]);
    expect(alarm?.[1].Properties).toMatchObject({
      Namespace: 'CruddurMessaging',
      MetricName: 'FailedPushes',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    // The words the pusher logs each failure with (src/realtime/pusher.ts).
    expect(FAILED_PUSH_LOG_PATTERN).toContain('"push: PostToConnection failed"');
  });

  it('names the WebSocket URL in an output', () => {
    expect(s.template.toJSON().Outputs.RealtimeUrl.Value).toEqual(stageUrl('wss'));
  });
});
