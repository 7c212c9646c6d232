import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../src/stream/local/checkpoint-store.js';
import { LocalEventSource } from '../../src/stream/local/local-event-source.js';
import { pollUntil } from '../support/processes.js';

// DynamoDB Local never splits its one shard, so shard lineage is tested against a scripted
// Streams API: a closed parent shard and its child, as DynamoDB reports them after a split.
const STREAM = 'arn:aws:dynamodb:local:000000000000:table/t/stream/2026-01-01T00:00:00.000';

const record = (sequence: string): _Record => ({
  eventID: `e${sequence}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: sequence,
    ApproximateCreationDateTime: new Date('2026-01-01T00:00:00Z'),
    Keys: { pk: { S: 'MSG#g' }, sk: { S: sequence } },
    NewImage: { item_type: { S: 'message' }, bin: { B: new Uint8Array([1, 2, 3]) } },
  },
});

const scriptedStreams = () => {
  const shards = {
    parent: { records: [record('100'), record('101')], closed: true },
    child: { records: [record('200')], closed: false },
  };
  const send = async (command: {
    constructor: { name: string };
    input: Record<string, string>;
  }) => {
    switch (command.constructor.name) {
      case 'DescribeStreamCommand':
        return {
          StreamDescription: {
            // The child is listed first on purpose: order must come from lineage, not listing.
            Shards: [
              { ShardId: 'child', ParentShardId: 'parent' },
              { ShardId: 'parent', SequenceNumberRange: { EndingSequenceNumber: '199' } },
            ],
          },
        };
      case 'GetShardIteratorCommand':
        return { ShardIterator: `${command.input.ShardId}:0` };
      case 'GetRecordsCommand': {
        const [id, position] = (command.input.ShardIterator ?? '').split(':') as [
          keyof typeof shards,
          string,
        ];
        const shard = shards[id];
        const from = Number(position);
        const next = Math.max(from, shard.records.length);
        const done = shard.closed && from >= shard.records.length;
        return {
          Records: shard.records.slice(from),
          NextShardIterator: done ? undefined : `${id}:${next}`,
        };
      }
      default:
        throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  return { send } as unknown as DynamoDBStreamsClient;
};

const dynamo = {
  send: async () => ({
    Table: { LatestStreamArn: STREAM, StreamSpecification: { StreamEnabled: true } },
  }),
  config: { region: async () => 'local' },
} as unknown as DynamoDBClient;

describe('shard lineage', () => {
  it('reads a parent shard to its end before its child, and records that the parent ended', async () => {
    const delivered: string[] = [];
    const binaries: unknown[] = [];
    const checkpoints = new MemoryCheckpointStore();
    const source = new LocalEventSource({
      dynamo,
      streams: scriptedStreams(),
      tableName: 't',
      handler: async (event) => {
        for (const r of event.Records) {
          delivered.push(r.dynamodb?.SequenceNumber ?? '');
          binaries.push(r.dynamodb?.NewImage?.bin);
        }
        return { batchItemFailures: [] };
      },
      checkpoints,
      deadLetters: { put: async () => {} },
      pollIntervalMs: 5,
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    await source.start();
    await pollUntil(() => delivered.length === 3);
    await source.stop();
    expect(delivered).toEqual(['100', '101', '200']);
    expect(binaries[0]).toEqual({ B: 'AQID' });
    expect(await checkpoints.load()).toEqual({
      streamArn: STREAM,
      shards: { parent: { sequenceNumber: '101', ended: true }, child: { sequenceNumber: '200' } },
    });
  });
});
