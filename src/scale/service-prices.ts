/**
 * AWS prices beyond DynamoDB's request units (those are in src/costs/cost-model.ts): us-east-1,
 * on-demand, first tier, taken 2026-11-26 from the API Gateway, Lambda and DynamoDB pricing
 * pages (check current prices). Shared by the scale model and the realtime benchmark.
 */
export const SERVICE_PRICES = {
  /** API Gateway HTTP API: per request (first 300 million a month; $0.90 after). */
  httpApiRequest: 1.0 / 1_000_000,
  /** API Gateway WebSocket: per message in or out (32 KB increments), per connection-minute. */
  apiGatewayMessage: 1.0 / 1_000_000,
  connectionMinute: 0.25 / 1_000_000,
  /** Lambda, arm64 (the stack's functions): per request, per GB-second. */
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB Standard table class: per GB-month stored (table and index). */
  storageGbMonth: 0.25,
} as const;
