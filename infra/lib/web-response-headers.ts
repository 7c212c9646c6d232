import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/**
 * The policy the API's helmet gives the web app under `npm start` (src/api/app.ts), plus
 * Cognito's domains for the token requests of the Cognito sign-in of the web app, and the
 * realtime WebSocket's origin (`wss://{apiId}.execute-api.{region}.amazonaws.com`): on AWS it
 * is not the page's own origin, which `'self'` covers under `npm start`.
 */
export const contentSecurityPolicy = (realtimeOrigin: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' https://*.amazoncognito.com ${realtimeOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');

/**
 * Security headers for the web app's files, and how long a browser may keep them. Not used
 * for /api/*: the API sets its own headers (helmet), including the CSP its /api/docs needs.
 */
export const webResponseHeaders = (
  scope: Construct,
  id: string,
  cacheControl: string,
  realtimeOrigin: string,
): cloudfront.ResponseHeadersPolicy =>
  new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: `Cruddur Messaging web app: security headers, Cache-Control ${cacheControl}`,
    customHeadersBehavior: {
      customHeaders: [{ header: 'Cache-Control', value: cacheControl, override: true }],
    },
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: contentSecurityPolicy(realtimeOrigin),
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
  });
