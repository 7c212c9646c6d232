// Runs a Lambda bundle as invoke-bundle.mjs does (Node's own ESM loader, one warm module
// instance), but one event at a time, so that a test can build each event from the answers
// before it (a token, a cursor). Usage: node bundle-session.mjs <bundle.mjs>, one JSON event
// per line on stdin; one JSON line per event on fd 3, {"result": ...} or {"error": "..."}.
// fd 3, not stdout: whatever the bundle itself prints cannot be mistaken for an answer.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [bundle, exportName = 'handler'] = process.argv.slice(2);
if (!bundle) throw new Error('usage: bundle-session.mjs <bundle.mjs> [export] (events on stdin)');
const handler = (await import(pathToFileURL(bundle).href))[exportName];
if (typeof handler !== 'function') throw new Error(`${bundle} exports no function ${exportName}`);
const context = {
  awsRequestId: 'test',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
};
const answer = (value) => writeSync(3, `${JSON.stringify(value)}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  try {
    answer({ result: await handler(JSON.parse(line), context) });
  } catch (error) {
    answer({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
// Stdin closed: the session is over, whatever sockets the warm module still holds open.
process.exit(0);
