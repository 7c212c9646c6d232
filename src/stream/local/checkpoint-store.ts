import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where each shard of one stream was read up to. A new stream (table recreated) starts over. */
export interface Checkpoint {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; ended?: boolean }>;
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** Durable: written to a temporary file and renamed, so a crash never leaves half a file. */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly path: string) {}

  async load(): Promise<Checkpoint | undefined> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Checkpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}

export class MemoryCheckpointStore implements CheckpointStore {
  #saved: string | undefined;

  async load(): Promise<Checkpoint | undefined> {
    return this.#saved === undefined ? undefined : (JSON.parse(this.#saved) as Checkpoint);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    this.#saved = JSON.stringify(checkpoint);
  }
}
