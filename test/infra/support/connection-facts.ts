import type { ConnectionFacts } from '../../../src/realtime/local-gateway/events.js';

/** What API Gateway tells the WebSocket functions of connection `connectionId`, as a test's. */
export const connectionFacts = (connectionId: string): ConnectionFacts => ({
  connectionId,
  connectedAt: Date.now(),
  apiId: 'testapi',
  stage: 'realtime',
  domainName: 'testapi.execute-api.us-east-1.amazonaws.com',
  sourceIp: '127.0.0.1',
  userAgent: 'test',
});
