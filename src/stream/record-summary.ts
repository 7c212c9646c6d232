import type { DynamoDBRecord } from 'aws-lambda';
import type { RecordSummary } from './outcomes.js';

/** A record without a sequence number cannot be reported alone: that fails the whole batch. */
export const summarizeRecord = (record: DynamoDBRecord): RecordSummary => {
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!sequenceNumber) throw new Error(`Stream record ${record.eventID} has no SequenceNumber`);
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  return {
    sequenceNumber,
    eventName: record.eventName ?? 'UNKNOWN',
    pk: record.dynamodb?.Keys?.pk?.S,
    sk: record.dynamodb?.Keys?.sk?.S,
    itemType: image?.item_type?.S,
  };
};
