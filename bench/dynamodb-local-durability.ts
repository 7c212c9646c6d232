import '../src/runtime/node-version-notice.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, startDynamoDbLocal } from '../src/local/dynamodb-local.js';
import { connectDynamo } from '../src/store/clients.js';
import { scanAll } from '../src/store/scan-all.js';
import { loadSchema } from '../src/store/schema.js';

/**
 * `npm run bench:durability`: does DynamoDB Local keep what it acknowledged when its process
 * is killed? 8 writers write for 1.5 s, java gets SIGKILL, DynamoDB Local restarts on the same
 * -dbPath, and the acknowledged writes are looked up. Once with PutItem, once with 2-item
 * TransactWriteItems, RUNS times each. This is why pattern D writes its client_message_id
 * claim and its message with two PutItems (docs/data-model.md, "Idempotent send in detail").
 */
const runs = Number(process.env.RUNS ?? 10);
const tableName = 'durability';

const trial = async (kind: 'put' | 'transaction'): Promise<{ acked: number; lost: number }> => {
  const folder = mkdtempSync(join(tmpdir(), 'durability-'));
  const dbPath = join(folder, 'db');
  let local: DynamoDbLocal = await startDynamoDbLocal({ storage: { dbPath } });
  const { port } = local;
  const connection = connectDynamo({ endpoint: local.endpoint });
  try {
    await loadSchema(connection.client, tableName);
    const acked: string[] = [];
    let killed = false;
    const write = (id: string) =>
      kind === 'put'
        ? connection.doc.send(new PutCommand({ TableName: tableName, Item: { pk: id, sk: 'a' } }))
        : connection.doc.send(
            new TransactWriteCommand({
              TransactItems: ['a', 'b'].map((sk) => ({
                Put: { TableName: tableName, Item: { pk: id, sk } },
              })),
            }),
          );
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let n = 0; !killed; n++) {
        const id = `w${w}-${n}`;
        try {
          await write(id);
          acked.push(id);
        } catch {
          return; // the kill: this writer's last request got no answer
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const pid = local.javaPid();
    if (pid === undefined) throw new Error('DynamoDB Local has no java process');
    process.kill(pid, 'SIGKILL');
    killed = true;
    await Promise.all(writers);
    await local.stop();
    local = await startDynamoDbLocal({ storage: { dbPath }, port });
    const stored = new Set(
      (await scanAll(connection.doc, { TableName: tableName, ConsistentRead: true })).map((i) =>
        String(i.pk),
      ),
    );
    return { acked: acked.length, lost: acked.filter((id) => !stored.has(id)).length };
  } finally {
    connection.client.destroy();
    await local.stop();
    rmSync(folder, { recursive: true, force: true });
  }
};

console.log(`DynamoDB Local killed (SIGKILL) under 8 writers, ${runs} runs per kind\n`);
console.log('| kind | runs | runs that lost an acknowledged write | writes acknowledged | lost |');
console.log('|---|---|---|---|---|');
for (const kind of ['put', 'transaction'] as const) {
  const results: { acked: number; lost: number }[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await trial(kind));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const sum = (pick: (r: { acked: number; lost: number }) => number) =>
    results.reduce((total, r) => total + pick(r), 0);
  console.log(
    `| ${kind === 'put' ? 'PutItem' : 'TransactWriteItems (2 Put)'} | ${runs} | ${results.filter((r) => r.lost > 0).length} | ${sum((r) => r.acked)} | ${sum((r) => r.lost)} |`,
  );
}
