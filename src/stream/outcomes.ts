/** What the stream handler did with each record: for logs, the inspector and tests. */
export type StreamOutcome =
  | {
      kind: 'applied';
      sequenceNumber: string;
      messageGroupUuid: string;
      sk: string;
      movedRows: number;
    }
  | {
      kind: 'skipped';
      sequenceNumber: string;
      reason: 'not_a_message_insert' | 'superseded_in_batch' | 'already_current';
      messageGroupUuid?: string;
      sk?: string;
    }
  | {
      kind: 'failed';
      sequenceNumber: string;
      error: string;
      messageGroupUuid?: string;
      sk?: string;
    };

export type StreamObserver = (outcome: StreamOutcome) => void;
