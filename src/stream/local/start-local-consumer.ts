import { join } from 'node:path';
import { loadStreamSettings, type StreamSettings } from '../../config.js';
import { ledgerOf } from '../../costs/cost-middleware.js';
import type { TablePort } from '../../messaging/table-port.js';
import { connectStreams, type DynamoConnection } from '../../store/clients.js';
import { createStreamHandler, type StreamHandler, type StreamHandlerOptions } from '../handler.js';
import type { StreamObserver } from '../outcomes.js';
import { summarizeRecord } from '../record-summary.js';
import { streamTable } from '../stream-table.js';
import { type Checkpoint, type CheckpointStore, FileCheckpointStore } from './checkpoint-store.js';
import { DeadLetterFile } from './dead-letters.js';
import { LocalEventSource } from './local-event-source.js';

export interface LocalConsumerOptions {
  connection: DynamoConnection;
  tableName: string;
  /** Checkpoint and dead letters live here, beside the data they describe. */
  dataDir: string;
  observer?: StreamObserver | undefined;
  /** The realtime push after each step of a batch, awaited as the deployed handler awaits it. */
  afterStep?: StreamHandlerOptions['afterStep'];
  /** The STREAM_* settings; read from the environment when not given. */
  settings?: StreamSettings;
  /** Defaults to the table on `connection`; benchmarks pass one that meters requests. */
  table?: TablePort;
  /** Defaults to pattern E's handler; the benchmark compares another consumer with it. */
  handler?: StreamHandler;
  /** Told of each shard position once it is durable: after each batch, and at a shard's end. */
  onCheckpoint?: ((shardId: string, position: ShardPosition) => void) | undefined;
}

export type ShardPosition = Checkpoint['shards'][string];

/** `store`, telling `onCheckpoint` of every shard whose position a save changed. */
const reporting = (
  store: CheckpointStore,
  onCheckpoint: (shardId: string, position: ShardPosition) => void,
): CheckpointStore => {
  let saved: Checkpoint | undefined;
  return {
    load: async () => {
      saved = await store.load();
      return saved;
    },
    save: async (checkpoint) => {
      await store.save(checkpoint);
      const before = saved?.streamArn === checkpoint.streamArn ? saved.shards : {};
      for (const [shardId, position] of Object.entries(checkpoint.shards)) {
        const was = before[shardId];
        if (was?.sequenceNumber !== position.sequenceNumber || was?.ended !== position.ended)
          onCheckpoint(shardId, { ...position });
      }
      // The event source goes on changing the object it saved.
      saved = structuredClone(checkpoint);
    },
  };
};

/** The stream consumer of `npm start` and `npm run stream`: pattern E on DynamoDB Local. */
export const startLocalConsumer = async (
  options: LocalConsumerOptions,
): Promise<LocalEventSource> => {
  const { connection, tableName, dataDir, settings = loadStreamSettings() } = options;
  const table = options.table ?? streamTable(connection.doc, tableName);
  const handler =
    options.handler ??
    createStreamHandler({ table, observer: options.observer, afterStep: options.afterStep });
  // Where the API meters this connection (local mode), each batch is one entry of the cost
  // ledger: pattern E's reads and writes and the push fan-out's connection reads and deletes.
  const costs = ledgerOf(connection.client);
  const file = new FileCheckpointStore(join(dataDir, `stream-checkpoint.${tableName}.json`));
  const source = new LocalEventSource({
    dynamo: connection.client,
    streams: connectStreams(connection),
    tableName,
    handler: costs
      ? (event) =>
          costs.track({ source: 'stream batch', records: event.Records.length }, () =>
            handler(event),
          )
      : handler,
    checkpoints: options.onCheckpoint ? reporting(file, options.onCheckpoint) : file,
    deadLetters: new DeadLetterFile(join(dataDir, `stream-dead-letters.${tableName}.jsonl`)),
    ...settings,
    onFilteredOut: (records) => {
      for (const record of records) {
        options.observer?.({
          kind: 'skipped',
          record: summarizeRecord(record),
          reason: 'filtered_out',
        });
      }
    },
  });
  await source.start();
  return source;
};
