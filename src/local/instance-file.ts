import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Who runs DynamoDB Local on a data dir right now. Two JVMs on one -dbPath would corrupt
 * it, so a second process either uses the running instance (the CLI) or stops with a clear
 * error (`npm start`).
 */
export interface InstanceRecord {
  pid: number;
  endpoint: string;
  owner: string;
  startedAt: string;
}

const fileOf = (dataDir: string): string => join(dataDir, 'dynamodb-local.json');

export const readInstance = (dataDir: string): InstanceRecord | undefined => {
  try {
    const record = JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as InstanceRecord;
    return isAlive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
};

/** Claims the data dir; false if a live process holds it. */
export const claimInstance = (dataDir: string, record: InstanceRecord): boolean => {
  mkdirSync(dataDir, { recursive: true });
  if (readInstance(dataDir)) return false;
  writeFileSync(fileOf(dataDir), `${JSON.stringify(record, null, 2)}\n`);
  return true;
};

export const releaseInstance = (dataDir: string, pid: number): void => {
  try {
    const record = JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as InstanceRecord;
    if (record.pid === pid) rmSync(fileOf(dataDir));
  } catch {
    // nothing to release
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
