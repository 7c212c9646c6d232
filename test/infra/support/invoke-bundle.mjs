// Runs a Lambda bundle the way the Lambda runtime does: Node's own ESM loader, configuration
// from the environment, one module instance serving several invocations (a warm container).
// Usage: node invoke-bundle.mjs <bundle.mjs>  with a JSON array of events on stdin; prints a
// JSON array of the handler's results.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle] = process.argv.slice(2);
if (!bundle) throw new Error('usage: invoke-bundle.mjs <bundle.mjs> < events.json');
const events = JSON.parse(readFileSync(0, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
const context = {
  awsRequestId: 'test',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
};
const results = [];
for (const event of events) results.push(await handler(event, context));
process.stdout.write(JSON.stringify(results));
