import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach } from 'vitest';
import { connectStreams } from '../../src/store/clients.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import {
  type CheckpointStore,
  FileCheckpointStore,
} from '../../src/stream/local/checkpoint-store.js';
import { DeadLetterFile } from '../../src/stream/local/dead-letters.js';
import {
  LocalEventSource,
  type LocalEventSourceOptions,
} from '../../src/stream/local/local-event-source.js';
import type { StreamObserver, StreamOutcome } from '../../src/stream/outcomes.js';
import type { TestTable } from './test-table.js';

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

export interface TestConsumer {
  source: LocalEventSource;
  outcomes: StreamOutcome[];
  events: DynamoDBStreamEvent[];
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterFile;
  dir: string;
}

const running: LocalEventSource[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((source) => source.stop()));
});

/** A local event source on the test table, stopped after each test. */
export const startConsumer = async (
  t: TestTable,
  overrides: Partial<LocalEventSourceOptions> & { dir?: string; observers?: StreamObserver[] } = {},
): Promise<TestConsumer> => {
  const dir = overrides.dir ?? mkdtempSync(join(tmpdir(), 'consumer-'));
  const outcomes: StreamOutcome[] = [];
  const events: DynamoDBStreamEvent[] = [];
  const { observers = [], ...options } = overrides;
  const handler = createStreamHandler({
    table: t.table,
    observer: (o) => {
      outcomes.push(o);
      for (const observe of observers) observe(o);
    },
    logger: quiet,
  });
  const checkpoints =
    overrides.checkpoints ?? new FileCheckpointStore(join(dir, 'checkpoint.json'));
  const deadLetters = new DeadLetterFile(join(dir, 'dead-letters.jsonl'));
  const source = new LocalEventSource({
    dynamo: t.connection.client,
    streams: connectStreams(t.connection),
    tableName: t.tableName,
    handler: async (event) => {
      events.push(event);
      return handler(event);
    },
    checkpoints,
    deadLetters,
    pollIntervalMs: 20,
    retryBaseMs: 5,
    logger: quiet,
    ...options,
  });
  await source.start();
  running.push(source);
  return { source, outcomes, events, checkpoints, deadLetters, dir };
};
