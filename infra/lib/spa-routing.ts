import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/**
 * CloudFront Function source (cloudfront-js-2.0): a request for a path whose last segment has
 * no file extension is a route of the single-page app (/signin, /conversations/…) and gets
 * /index.html; files (/assets/app-1a2b.js) pass unchanged. Runs on the S3 behaviour only.
 */
export const SPA_ROUTING_SOURCE = `function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

/**
 * Why not CloudFront's custom error responses (403/404 → /index.html)? They apply to the
 * whole distribution, /api/* included: the API's own 404s (`message_group_not_found`) and
 * 403s would turn into the web app's HTML with status 200.
 */
export const spaRoutingFunction = (scope: Construct, id: string): cloudfront.Function =>
  new cloudfront.Function(scope, id, {
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    comment: 'Routes of the single-page app get /index.html',
    code: cloudfront.FunctionCode.fromInline(SPA_ROUTING_SOURCE),
  });
