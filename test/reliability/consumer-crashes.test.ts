import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { User } from '../../src/messaging/model.js';
import { expectConverged } from '../support/stream.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();
const dataDir = mkdtempSync(join(tmpdir(), 'consumer-crashes-'));
let consumer: ChildProcess | undefined;

/** `npm run stream` as a process of its own, on the test table. */
const startConsumer = () => {
  consumer = spawn(process.execPath, ['--import', 'tsx', 'src/stream/local/main.ts'], {
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DDB_TABLE: t.tableName,
      DATA_DIR: dataDir,
      STREAM_POLL_INTERVAL_MS: '20',
    },
    stdio: 'ignore',
  });
};
const killConsumer = async () => {
  const child = consumer;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
};
afterAll(killConsumer);

describe('the stream consumer killed repeatedly while 500 messages are sent', () => {
  it('converges after the last restart', async () => {
    const users: User[] = [];
    for (let i = 0; i < 6; i++)
      users.push(
        await messaging.createUser({ handle: uniqueHandle(`k${i}`), displayName: `K${i}` }),
      );
    const groups: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { message } = await messaging.sendMessage({
        sender: users[i] as User,
        to: { handle: (users[i + 1] as User).handle },
        message: 'start',
      });
      groups.push(message.messageGroupUuid);
    }

    startConsumer();
    let sent = 0;
    const traffic = Promise.all(
      Array.from({ length: 10 }, async (_, worker) => {
        for (let n = 0; n < 50; n++) {
          const g = worker % 5;
          await messaging.sendMessage({
            sender: users[g + (n % 2)] as User,
            to: { messageGroupUuid: groups[g] as string },
            message: `w${worker} n${n}`,
          });
          sent++;
        }
      }),
    );
    let kills = 0;
    let done = false;
    void traffic.then(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 350));
      await killConsumer();
      kills++;
      startConsumer();
    }
    await traffic;
    expect(sent).toBe(500);
    expect(kills).toBeGreaterThanOrEqual(2);
    const report = await expectConverged(t, 30_000);
    expect(report.messages).toBe(505);
  }, 120_000);
});
