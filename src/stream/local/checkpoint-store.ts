import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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

/**
 * Durable: written to a temporary file and renamed, so a crash never leaves half a file. The
 * file system work is asynchronous: a save per batch must not hold up the event loop that
 * also serves the API and the realtime gateway under `npm start`. Saves run one at a time, in
 * order, so the last one asked for is the one left on disk.
 */
export class FileCheckpointStore implements CheckpointStore {
  #saving: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<Checkpoint | undefined> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Checkpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Serialised at once (the caller goes on changing its checkpoint), written in turn. */
  async save(checkpoint: Checkpoint): Promise<void> {
    const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
    const saved = this.#saving.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, this.path);
    });
    // A failed save fails its caller; the next save still runs.
    this.#saving = saved.catch(() => undefined);
    await saved;
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
