import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { spaRoutingFunction } from './spa-routing.js';
import { webResponseHeaders } from './web-response-headers.js';

export interface WebsiteProps {
  /** The HTTP API's host name: /api/* goes there. */
  apiDomainName: string;
  /** The realtime WebSocket's origin, for the CSP's connect-src. */
  realtimeOrigin: string;
  /** The built web app (web/dist); uploaded only if it has an index.html. */
  webDistDir: string;
  /** Dev: empty and delete the bucket with the stack. Production: keep it. */
  autoDeleteBucket: boolean;
}

/**
 * One origin for the browser: CloudFront serves the web app from a private bucket and passes
 * /api/* to the HTTP API. Same origin means no CORS preflights and one URL to configure.
 */
export class Website extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<id>.cloudfront.net`, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebsiteProps) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy: props.autoDeleteBucket ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: props.autoDeleteBucket,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public build output of web/, read solely by CloudFront ' +
        'through OAC and replaced on each deploy; per-object access logs would record nothing ' +
        'that is not already public.',
    });

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Cruddur Messaging: web app and /api/*',
      defaultRootObject: 'index.html',
      // North America and Europe edges only: the cheapest price class.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        // index.html must never be stale in a browser: it names the current build's assets,
        // and a deploy deletes the previous ones. (The edge copy is invalidated on deploy.)
        responseHeadersPolicy: webResponseHeaders(
          this,
          'HtmlHeaders',
          'no-cache',
          props.realtimeOrigin,
        ),
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: spaRoutingFunction(this, 'SpaRouting'),
          },
        ],
      },
      additionalBehaviors: {
        // Vite's build output: file names carry a content hash, so a browser may keep them.
        '/assets/*': {
          origin: siteOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: webResponseHeaders(
            this,
            'HashedAssetHeaders',
            'public, max-age=31536000, immutable',
            props.realtimeOrigin,
          ),
        },
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          // A redirect would turn a POST into a GET: plain HTTP gets 403 instead.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Every answer depends on the caller's token: never cache. With caching disabled,
          // this policy forwards every viewer header (Authorization included) except Host,
          // which must name the API's own domain for API Gateway to route the request.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          // No response headers policy: the API sets its own (helmet), including the CSP
          // that its /api/docs page needs.
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    this.#acknowledgeDistributionFindings();
    this.#deployWebApp(props.webDistDir);
  }

  #acknowledgeDistributionFindings(): void {
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'A messaging app for anyone who signs up: no country is excluded on purpose.',
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'No WAF web ACL: it costs at least $5 a month at rest, and the API already verifies a ' +
        'token on every protected route, limits sends per user and is throttled per stage.',
    );
    acknowledge(
      'AwsSolutions-CFR3',
      'No CloudFront access logs (they need a log bucket with ACLs): every /api/* request is ' +
        'logged by the API Gateway stage (access log group), and the web files are public.',
    );
    acknowledge(
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, for which CloudFront ' +
        'fixes the minimum viewer TLS version; add a custom domain and certificate to set ' +
        'TLSv1.2_2021.',
    );
  }

  /** Uploads web/dist if it was built; otherwise says so and leaves the bucket as it is. */
  #deployWebApp(webDistDir: string): void {
    if (!existsSync(join(webDistDir, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        'cruddur:web-app-not-built',
        `${webDistDir}/index.html does not exist: the web app is not deployed. ` +
          'Run `npm run build`, then deploy again.',
      );
      return;
    }
    new s3deploy.BucketDeployment(this, 'WebApp', {
      // CloudFront compresses by itself (CACHING_OPTIMIZED): the build's .br/.gz copies, made
      // for npm start, and Vite's manifest stay out of the bucket.
      sources: [s3deploy.Source.asset(webDistDir, { exclude: ['*.br', '*.gz', '.vite'] })],
      destinationBucket: this.bucket,
      // Files of an older build disappear, and CloudFront forgets its cached copies.
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
  }
}
