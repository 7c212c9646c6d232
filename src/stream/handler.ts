import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import pMap from 'p-map';
import { type AdvanceOptions, MessageGroupAdvancer } from '../messaging/advance-message-groups.js';
import type { MessageItem } from '../messaging/items.js';
import { partitionId } from '../messaging/keys.js';
import type { TablePort } from '../messaging/table-port.js';
import { isMessageInsert } from './filter.js';
import { messageOf } from './message-record.js';
import type { StreamObserver } from './outcomes.js';

export interface StreamHandlerOptions {
  table: TablePort;
  observer?: StreamObserver | undefined;
  logger?: Pick<Console, 'error'>;
  advance?: AdvanceOptions;
  /** Conversations of one batch updated at the same time. */
  concurrency?: number;
}

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

interface ConversationWork {
  groupUuid: string;
  newest: MessageItem;
  newestSequence: string;
  sequences: string[];
}

/**
 * The Lambda handler of pattern E (DynamoDBStreamEvent in, partial batch response out).
 * Per conversation only the batch's newest message matters, so each conversation costs one
 * update per batch however many of its messages arrived. A record that fails is reported by
 * its sequence number, with every other record of its conversation (their effect rides on
 * the newest one), and the rest of the batch is still applied.
 */
export const createStreamHandler = (options: StreamHandlerOptions): StreamHandler => {
  const { table, observer } = options;
  const logger = options.logger ?? console;
  const concurrency = options.concurrency ?? 16;
  const advancer = new MessageGroupAdvancer(table, options.advance);

  return async (event) => {
    const failures = new Set<string>();
    const work = new Map<string, ConversationWork>();

    for (const record of event.Records) {
      const sequenceNumber = sequenceOf(record);
      if (!isMessageInsert(record)) {
        observer?.({ kind: 'skipped', sequenceNumber, reason: 'not_a_message_insert' });
        continue;
      }
      let message: MessageItem;
      try {
        message = messageOf(record);
      } catch (error) {
        logger.error('stream: poison record', {
          sequenceNumber,
          keys: record.dynamodb?.Keys,
          error: String(error),
        });
        failures.add(sequenceNumber);
        observer?.({ kind: 'failed', sequenceNumber, error: String(error) });
        continue;
      }
      const groupUuid = partitionId(message.pk, 'MSG#');
      const current = work.get(groupUuid);
      if (!current) {
        work.set(groupUuid, {
          groupUuid,
          newest: message,
          newestSequence: sequenceNumber,
          sequences: [sequenceNumber],
        });
        continue;
      }
      current.sequences.push(sequenceNumber);
      if (message.sk > current.newest.sk) {
        current.newest = message;
        current.newestSequence = sequenceNumber;
      }
    }

    await pMap(
      [...work.values()],
      async (conversation) => {
        const { newest, groupUuid, newestSequence } = conversation;
        for (const sequenceNumber of conversation.sequences) {
          if (sequenceNumber !== newestSequence) {
            observer?.({
              kind: 'skipped',
              sequenceNumber,
              reason: 'superseded_in_batch',
              messageGroupUuid: groupUuid,
            });
          }
        }
        try {
          const outcome = await advancer.advance(newest);
          observer?.(
            outcome.result === 'applied'
              ? {
                  kind: 'applied',
                  sequenceNumber: newestSequence,
                  messageGroupUuid: groupUuid,
                  sk: newest.sk,
                  movedRows: outcome.movedRows,
                }
              : {
                  kind: 'skipped',
                  sequenceNumber: newestSequence,
                  reason: outcome.reason,
                  messageGroupUuid: groupUuid,
                  sk: newest.sk,
                },
          );
        } catch (error) {
          logger.error('stream: pattern E failed', {
            keys: { pk: newest.pk, sk: newest.sk },
            sequenceNumber: newestSequence,
            error: String(error),
          });
          for (const sequenceNumber of conversation.sequences) failures.add(sequenceNumber);
          observer?.({
            kind: 'failed',
            sequenceNumber: newestSequence,
            error: String(error),
            messageGroupUuid: groupUuid,
            sk: newest.sk,
          });
        }
      },
      { concurrency },
    );

    return {
      batchItemFailures: [...failures]
        .sort(compareSequenceNumbers)
        .map((itemIdentifier) => ({ itemIdentifier })),
    };
  };
};

/** A record without a sequence number cannot be reported alone: fail the whole batch. */
const sequenceOf = (record: DynamoDBRecord): string => {
  const sequence = record.dynamodb?.SequenceNumber;
  if (!sequence) throw new Error(`Stream record ${record.eventID} has no SequenceNumber`);
  return sequence;
};

/** Sequence numbers are decimal strings of varying length: compare as numbers. */
export const compareSequenceNumbers = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
