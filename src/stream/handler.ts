import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import pMap from 'p-map';
import { type AdvanceOptions, MessageGroupAdvancer } from '../messaging/advance-message-groups.js';
import type { MessageItem } from '../messaging/items.js';
import { groupOfMessageKey } from '../messaging/keys.js';
import type { TablePort } from '../messaging/table-port.js';
import { isGroupRowModify, isMessageInsert, isMessageModify } from './filter.js';
import { messageOf, readMoveOf } from './message-record.js';
import type { RecordSummary, StreamObserver, StreamOutcome } from './outcomes.js';
import { summarizeRecord } from './record-summary.js';

export interface StreamHandlerOptions {
  table: TablePort;
  observer?: StreamObserver | undefined;
  logger?: Pick<Console, 'error'>;
  advance?: AdvanceOptions;
  /** Conversations of one batch updated at the same time. */
  concurrency?: number;
  /**
   * The realtime push: runs after each step of the batch with that step's outcomes (one
   * conversation's pattern E, one edit's follow, the batch's read moves at once), so a
   * conversation's frames leave as soon as its rows have moved rather than after the slowest
   * conversation of the batch. All runs are awaited before the handler returns (a Lambda is
   * frozen once it returns). A failure is logged and never fails the batch: the writes are
   * done, and a retry would only repeat them.
   */
  afterStep?: ((outcomes: readonly StreamOutcome[]) => Promise<unknown>) | undefined;
}

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

interface Delivered {
  record: RecordSummary;
  message: MessageItem;
}

/**
 * The Lambda handler of pattern E (DynamoDBStreamEvent in, partial batch response out).
 * Per conversation only the batch's newest message matters, so each conversation costs one
 * update per batch however many of its messages arrived. A record that fails is reported by
 * its sequence number, with every other record of its conversation (their effect rides on
 * the newest one), and the rest of the batch is still applied.
 */
export const createStreamHandler = (options: StreamHandlerOptions): StreamHandler => {
  const { table, afterStep } = options;
  const logger = options.logger ?? console;
  const concurrency = options.concurrency ?? 32;
  const advancer = new MessageGroupAdvancer(table, options.advance);

  return async (event) => {
    const pushes: Promise<unknown>[] = [];
    /** Hands a finished step's outcomes to `afterStep` without waiting for it. */
    const pushAfter = (outcomes: readonly StreamOutcome[]) => {
      if (!afterStep || outcomes.length === 0) return;
      pushes.push(
        afterStep(outcomes).catch((error: unknown) =>
          logger.error('stream: after-step push failed', { error: String(error) }),
        ),
      );
    };
    /** Records a step's outcome for the observer and for the step's push. */
    const recorder = () => {
      const outcomes: StreamOutcome[] = [];
      const record = (outcome: StreamOutcome) => {
        outcomes.push(outcome);
        options.observer?.(outcome);
      };
      return { outcomes, record };
    };
    const { outcomes: scanned, record: observer } = recorder();
    const failures = new Set<string>();
    const conversations = new Map<string, Delivered[]>();
    /** Changed messages by key: the latest revision in the batch is the one that counts. */
    const changed = new Map<string, Delivered>();

    for (const record of event.Records) {
      const summary = summarizeRecord(record);
      if (isGroupRowModify(record)) {
        try {
          const row = readMoveOf(record);
          observer(
            row
              ? { kind: 'read', record: summary, row }
              : { kind: 'skipped', record: summary, reason: 'not_a_read_move' },
          );
        } catch (error) {
          // Nothing to apply, only a push to skip: not worth a retry of the batch.
          logger.error('stream: unreadable group row', { ...summary, error: String(error) });
          observer({ kind: 'skipped', record: summary, reason: 'not_a_read_move' });
        }
        continue;
      }
      if (isMessageModify(record)) {
        try {
          const message = messageOf(record);
          const key = `${message.pk}|${message.sk}`;
          const known = changed.get(key);
          const newer = !known || (message.revision ?? 0) >= (known.message.revision ?? 0);
          const superseded = newer ? known : { record: summary, message };
          if (superseded)
            observer({ kind: 'skipped', record: superseded.record, reason: 'superseded_in_batch' });
          if (newer) changed.set(key, { record: summary, message });
        } catch (error) {
          logger.error('stream: poison record', { ...summary, error: String(error) });
          failures.add(summary.sequenceNumber);
          observer({ kind: 'failed', record: summary, error: String(error) });
        }
        continue;
      }
      if (!isMessageInsert(record)) {
        observer({ kind: 'skipped', record: summary, reason: 'not_a_message_insert' });
        continue;
      }
      let message: MessageItem;
      try {
        message = messageOf(record);
      } catch (error) {
        logger.error('stream: poison record', { ...summary, error: String(error) });
        failures.add(summary.sequenceNumber);
        observer({ kind: 'failed', record: summary, error: String(error) });
        continue;
      }
      const groupUuid = groupOfMessageKey(message.pk);
      conversations.set(groupUuid, [
        ...(conversations.get(groupUuid) ?? []),
        { record: summary, message },
      ]);
    }

    // Read moves need no pattern E: their frames can leave now.
    pushAfter(scanned.filter((outcome) => outcome.kind === 'read'));

    await pMap(
      [...conversations.values()],
      async (delivered) => {
        const { outcomes, record: observer } = recorder();
        const newest = delivered.reduce((a, b) => (b.message.sk > a.message.sk ? b : a));
        for (const other of delivered) {
          if (other !== newest) {
            observer({
              kind: 'skipped',
              record: other.record,
              reason: 'superseded_in_batch',
              message: other.message,
            });
          }
        }
        try {
          const outcome = await advancer.advance(delivered.map((d) => d.message));
          observer(
            outcome.result === 'applied'
              ? {
                  kind: 'applied',
                  record: newest.record,
                  message: newest.message,
                  rows: outcome.rows,
                }
              : {
                  kind: 'skipped',
                  record: newest.record,
                  reason: outcome.reason,
                  message: newest.message,
                },
          );
        } catch (error) {
          logger.error('stream: pattern E failed', { ...newest.record, error: String(error) });
          for (const { record } of delivered) failures.add(record.sequenceNumber);
          observer({
            kind: 'failed',
            record: newest.record,
            error: String(error),
            message: newest.message,
          });
        }
        pushAfter(outcomes);
      },
      { concurrency },
    );

    // After pattern E: a message inserted and edited in one batch is moved first, then followed.
    await pMap(
      [...changed.values()],
      async ({ record, message }) => {
        const { outcomes, record: observer } = recorder();
        try {
          const previews = await advancer.followChange(message);
          observer({ kind: 'updated', record, message, previews });
        } catch (error) {
          logger.error('stream: preview follow failed', { ...record, error: String(error) });
          failures.add(record.sequenceNumber);
          observer({ kind: 'failed', record, error: String(error), message });
        }
        pushAfter(outcomes);
      },
      { concurrency },
    );
    await Promise.all(pushes);

    return {
      batchItemFailures: [...failures]
        .sort(compareSequenceNumbers)
        .map((itemIdentifier) => ({ itemIdentifier })),
    };
  };
};

/** Sequence numbers are decimal strings of varying length: compare as numbers. */
export const compareSequenceNumbers = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
