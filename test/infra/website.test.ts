import { runInNewContext } from 'node:vm';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_ROUTING_SOURCE } from '../../infra/lib/spa-routing.js';
import { contentSecurityPolicy } from '../../infra/lib/web-response-headers.js';
import { getAtt, onlyResource, type Synthesized, synthesize } from './support/synthesize.js';

// Managed policies of CloudFront, by their documented ids.
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let built: Synthesized;
let missing: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  built = synthesize({ webApp: 'built' });
  missing = synthesize({ webApp: 'missing' });
  prod = synthesize({ context: { prod: 'true' } });
});
afterAll(() => {
  for (const s of [built, missing, prod]) s.cleanup();
});

type Behavior = Record<string, unknown> & { TargetOriginId: string };
type Origin = Record<string, unknown> & { Id: string };
const distribution = (s: Synthesized = built) => {
  const { id, resource } = onlyResource(s.template, 'AWS::CloudFront::Distribution');
  const config = resource.Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: (Behavior & { PathPattern: string })[];
    Origins: Origin[];
  } & Record<string, unknown>;
  const origin = (behavior: Behavior) =>
    config.Origins.find((o) => o.Id === behavior.TargetOriginId);
  const behavior = (path: string) => config.CacheBehaviors.find((b) => b.PathPattern === path);
  return { id, config, origin, behavior };
};
const ids = (s: Synthesized = built) => ({
  bucket: onlyResource(s.template, 'AWS::S3::Bucket').id,
  api: onlyResource(s.template, 'AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } })
    .id,
  oac: onlyResource(s.template, 'AWS::CloudFront::OriginAccessControl').id,
  spaRouting: onlyResource(s.template, 'AWS::CloudFront::Function').id,
});
const headersPolicy = (ref: unknown) =>
  built.template.toJSON().Resources[(ref as { Ref: string }).Ref].Properties
    .ResponseHeadersPolicyConfig;

describe('the web bucket', () => {
  it('is private, encrypted and refuses plain HTTP', () => {
    const { resource } = onlyResource(built.template, 'AWS::S3::Bucket');
    expect(resource.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(resource.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is readable by this distribution only (OAC), never by a public principal', () => {
    const { id } = distribution();
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Resource: { 'Fn::Join': ['', [getAtt(ids().bucket, 'Arn'), '/*']] },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudfront::',
                      { Ref: 'AWS::AccountId' },
                      ':distribution/',
                      { Ref: id },
                    ],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('is emptied and deleted with a dev stack, kept in production', () => {
    expect(onlyResource(built.template, 'AWS::S3::Bucket').resource.DeletionPolicy).toBe('Delete');
    built.template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    expect(onlyResource(prod.template, 'AWS::S3::Bucket').resource.DeletionPolicy).toBe('Retain');
    prod.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('the distribution', () => {
  it('serves the web app from the bucket through Origin Access Control', () => {
    const { config, origin } = distribution();
    const s3 = origin(config.DefaultCacheBehavior);
    expect(s3).toEqual({
      Id: expect.any(String),
      DomainName: getAtt(ids().bucket, 'RegionalDomainName'),
      OriginAccessControlId: getAtt(ids().oac, 'Id'),
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(
      onlyResource(built.template, 'AWS::CloudFront::OriginAccessControl').resource.Properties,
    ).toEqual({
      OriginAccessControlConfig: {
        Name: expect.any(String),
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: CACHING_OPTIMIZED,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('sends /api/* to the HTTP API over TLS 1.2, all methods, never cached, every header but Host', () => {
    const { config, origin, behavior } = distribution();
    const api = behavior('/api/*');
    expect(api).toEqual({
      PathPattern: '/api/*',
      TargetOriginId: expect.any(String),
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
      Compress: true,
    });
    expect(origin(api as Behavior)).toEqual({
      Id: expect.any(String),
      DomainName: {
        'Fn::Join': [
          '',
          [
            { Ref: ids().api },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
          ],
        ],
      },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(config.Origins).toHaveLength(2);
  });

  it('routes SPA paths to index.html in a viewer-request function, not with error responses', () => {
    const { config } = distribution();
    // Distribution-wide error responses would turn the API's own 403/404 into index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: getAtt(ids().spaRouting, 'FunctionARN') },
    ]);
    const route = runInNewContext(`${SPA_ROUTING_SOURCE}; handler`) as (event: unknown) => {
      uri: string;
    };
    const uriFor = (uri: string) => route({ request: { uri } }).uri;
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/signin')).toBe('/index.html');
    expect(uriFor('/conversations/5b1d-4f9a')).toBe('/index.html');
    expect(uriFor('/assets/index-BvZibzOs.js')).toBe('/assets/index-BvZibzOs.js');
    expect(uriFor('/favicon.svg')).toBe('/favicon.svg');
  });

  it('adds security headers to the web app; index.html is never cached by browsers', () => {
    const { config, behavior } = distribution();
    const html = headersPolicy(config.DefaultCacheBehavior.ResponseHeadersPolicyId);
    expect(html.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: {
        // With the realtime WebSocket's origin in connect-src (test/infra/realtime.test.ts).
        ContentSecurityPolicy: built.stack.resolve(
          contentSecurityPolicy(built.stack.realtimeGateway.origin),
        ),
        Override: true,
      },
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    expect(html.CustomHeadersConfig).toEqual({
      Items: [{ Header: 'Cache-Control', Value: 'no-cache', Override: true }],
    });
    const assets = behavior('/assets/*');
    expect(assets).toMatchObject({
      TargetOriginId: config.DefaultCacheBehavior.TargetOriginId,
      CachePolicyId: CACHING_OPTIMIZED,
    });
    const hashed = headersPolicy(assets?.ResponseHeadersPolicyId);
    expect(hashed.SecurityHeadersConfig).toEqual(html.SecurityHeadersConfig);
    expect(hashed.CustomHeadersConfig).toEqual({
      Items: [
        { Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true },
      ],
    });
    expect(behavior('/api/*')?.ResponseHeadersPolicyId).toBeUndefined();
  });
});

describe('the web app upload', () => {
  it('uploads web/dist when it was built, pruning old files and invalidating the cache', () => {
    const { resource } = onlyResource(built.template, 'Custom::CDKBucketDeployment');
    expect(resource.Properties).toMatchObject({
      DestinationBucketName: { Ref: ids().bucket },
      DistributionId: { Ref: distribution().id },
      DistributionPaths: ['/*'],
      Prune: true,
    });
  });

  it('is skipped with a warning when web/dist/index.html does not exist', () => {
    missing.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    Annotations.fromStack(missing.stack).hasWarning(
      '/CruddurMessaging-dev/Web',
      Match.stringLikeRegexp('index.html does not exist: the web app is not deployed'),
    );
    expect(
      Annotations.fromStack(built.stack).findWarning('*', Match.stringLikeRegexp('index.html')),
    ).toEqual([]);
  });
});
