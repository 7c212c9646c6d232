import type { MessageGroupItem, MessageItem } from '../messaging/items.js';

/** Enough of a stream record to show it (inspector, logs) without its whole image. */
export interface RecordSummary {
  sequenceNumber: string;
  eventName: string;
  pk?: string | undefined;
  sk?: string | undefined;
  itemType?: string | undefined;
}

/**
 * What the stream handler did with each record, reported once per record: for the live push
 * to browsers, the inspector, logs and tests.
 */
export type StreamOutcome =
  | {
      kind: 'applied';
      record: RecordSummary;
      message: MessageItem;
      /** The group rows as pattern E left them. */
      rows: MessageGroupItem[];
    }
  | {
      kind: 'skipped';
      record: RecordSummary;
      /** filtered_out: dropped by the event source's filter, before the handler. */
      reason:
        | 'filtered_out'
        | 'not_a_message_insert'
        | 'not_a_read_move'
        | 'superseded_in_batch'
        | 'already_current';
      message?: MessageItem;
      /** already_current: the rows as found, at or past the message. */
      rows?: MessageGroupItem[];
    }
  | {
      /** An edit or unsend: the message as it is now, and how many previews followed it. */
      kind: 'updated';
      record: RecordSummary;
      message: MessageItem;
      previews: number;
    }
  | {
      /** A read mark moved its owner's position: the row as it is now. */
      kind: 'read';
      record: RecordSummary;
      row: MessageGroupItem;
    }
  | { kind: 'failed'; record: RecordSummary; error: string; message?: MessageItem };

export type StreamObserver = (outcome: StreamOutcome) => void;
