import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, FileCheckpointStore } from '../../src/stream/local/checkpoint-store.js';

const at = (sequenceNumber: string): Checkpoint => ({
  streamArn: 'arn:stream',
  shards: { s: { sequenceNumber } },
});

describe('the checkpoint file', () => {
  it('keeps the last of saves asked for at once, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    const store = new FileCheckpointStore(join(dir, 'nested', 'checkpoint.json'));
    expect(await store.load()).toBeUndefined();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(at(String(i + 1)))));
    expect(await store.load()).toEqual(at('20'));
    expect(readdirSync(join(dir, 'nested'))).toEqual(['checkpoint.json']);

    // What is saved is the checkpoint as it was when asked, whatever the caller does next.
    const mine = at('21');
    const saving = store.save(mine);
    mine.shards.s = { sequenceNumber: '99' };
    await saving;
    expect(await store.load()).toEqual(at('21'));
  });

  it('fails the save that fails, and saves again after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    const store = new FileCheckpointStore(join(dir, 'checkpoint.json'));
    // A checkpoint JSON cannot hold: the save must fail rather than write something else.
    const circular = at('1') as Checkpoint & { self?: unknown };
    circular.self = circular;
    await expect(store.save(circular)).rejects.toThrow(TypeError);
    await store.save(at('2'));
    expect(await store.load()).toEqual(at('2'));
  });
});
