// A Lambda cold start of the API bundle, in this fresh process: the time and CPU to import the
// bundle, then to answer its first event (GET /api/config, which reaches no database), as the
// runtime does (Node's own ESM loader). Run with the function's NODE_OPTIONS
// (--enable-source-maps) and the stack's environment. Prints one JSON line:
// {"import": ms, "first": ms, "total": ms, "cpu": ms, "status": 200}.
// Usage: node --enable-source-maps cold-start.mjs <bundle.mjs>
import { pathToFileURL } from 'node:url';

const [bundle] = process.argv.slice(2);
if (!bundle) throw new Error('usage: cold-start.mjs <bundle.mjs>');
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/api/config',
  rawQueryString: '',
  headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: {
      method: 'GET',
      path: '/api/config',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.9',
      userAgent: 'cold-start',
    },
    requestId: 'cold-start',
    routeKey: '$default',
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  isBase64Encoded: false,
};
const context = {
  awsRequestId: 'cold-start',
  functionName: 'api',
  getRemainingTimeInMillis: () => 10_000,
};

const cpuAtStart = process.cpuUsage();
const start = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const answer = await handler(event, context);
const answered = performance.now();
const cpu = process.cpuUsage(cpuAtStart);
const ms = (value) => Math.round(value * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    import: ms(imported - start),
    first: ms(answered - imported),
    total: ms(answered - start),
    cpu: ms((cpu.user + cpu.system) / 1000),
    status: answer.statusCode,
  })}\n`,
);
// The warm module may hold sockets open: the measurement is over.
process.exit(0);
