import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig } from '../../src/config.js';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { openDatabase } from '../../src/runtime/database.js';
import { connectDynamo } from '../../src/store/clients.js';
import { listTables, loadSchema } from '../../src/store/schema.js';
import { javaProcessesWith, pollUntil } from '../support/processes.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'cruddur-ddb-'));

describe('embedded DynamoDB Local', () => {
  it("never takes another process's DynamoDB Local on its port for its own", async () => {
    const theirs = await startDynamoDbLocal({ storage: { inMemory: true } });
    try {
      // The race a free port can lose: someone else binds it before our java does.
      const attempt = startDynamoDbLocal({ port: theirs.port, storage: { inMemory: true } });
      await expect(attempt).rejects.toMatchObject({ code: 'dynamodb_local_port_taken' });
      expect(javaProcessesWith(`-port ${theirs.port}`)).toHaveLength(1);
    } finally {
      await theirs.stop();
    }
  });

  it('keeps data in its dbPath across a restart, and stops its java', async () => {
    const dbPath = join(tempDir(), 'nested', 'dynamodb');
    const first = await startDynamoDbLocal({ storage: { dbPath } });
    const one = connectDynamo({ endpoint: first.endpoint });
    await loadSchema(one.client, 'persisted');
    one.client.destroy();
    await first.stop();
    expect(javaProcessesWith(`-port ${first.port}`)).toEqual([]);

    const second = await startDynamoDbLocal({ storage: { dbPath } });
    const two = connectDynamo({ endpoint: second.endpoint });
    expect(await listTables(two.client)).toContain('persisted');
    two.client.destroy();
    await second.stop();
    await second.stop();
    expect(javaProcessesWith(`-port ${second.port}`)).toEqual([]);
  });

  it('dies with the process that started it, even on SIGKILL', async () => {
    const script = join(import.meta.dirname, '../support/start-dynamodb-local.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /port=(\d+)/.exec(chunk.toString());
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early: ${code}`)));
    });
    try {
      expect(javaProcessesWith(`-port ${port}`)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
    await pollUntil(() => javaProcessesWith(`-port ${port}`).length === 0);
  });

  it('lets the CLI share the data dir that npm start holds, and refuses a second owner', async () => {
    const dataDir = tempDir();
    const config = loadDatabaseConfig({ DATA_DIR: dataDir });
    const owner = await openDatabase(config, { owner: 'npm start', shareRunningInstance: false });
    try {
      expect(existsSync(join(dataDir, 'dynamodb-local.json'))).toBe(true);
      await expect(
        openDatabase(config, { owner: 'second server', shareRunningInstance: false }),
      ).rejects.toMatchObject({
        code: 'data_dir_in_use',
        message: expect.stringContaining('npm start'),
      });
      const shared = await openDatabase(config, { owner: 'ddb CLI', shareRunningInstance: true });
      expect(shared.where).toContain('DynamoDB Local of npm start');
      expect(await listTables(shared.connection.client)).toEqual([]);
      await shared.close();
    } finally {
      await owner.close();
    }
    expect(existsSync(join(dataDir, 'dynamodb-local.json'))).toBe(false);
  });
});
