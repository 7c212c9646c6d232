import { useEffect, useState } from 'react';
import { openEventStream, type StreamStatus } from '../../lib/event-stream';
import { useLatest } from '../../lib/use-latest';
import { isStreamRecord, STREAM_URL, type StreamRecord } from './inspector-api';

export const KEEP_RECORDS = 200;

/** A record's identity: one sequence number can have several outcomes (a failure, a retry). */
export const recordKey = (record: StreamRecord): string => `${record.sequence_number}@${record.at}`;

/**
 * The live feed of stream records, newest first, the last KEEP_RECORDS only. The server
 * replays its recent records on every (re)connect; those already shown are not repeated.
 */
export const useStreamRecords = (onRecord: (record: StreamRecord) => void) => {
  const [records, setRecords] = useState<StreamRecord[]>([]);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latestOnRecord = useLatest(onRecord);

  useEffect(
    () =>
      openEventStream({
        url: () => STREAM_URL,
        eventTypes: ['record'],
        onEvent: (_type, data) => {
          if (!isStreamRecord(data)) return;
          setRecords((previous) => {
            if (previous.some((known) => recordKey(known) === recordKey(data))) return previous;
            return [data, ...previous].slice(0, KEEP_RECORDS);
          });
          latestOnRecord.current(data);
        },
        onStatus: setStatus,
      }),
    [latestOnRecord],
  );

  return { records, status };
};
