import type {
  AttributeValue as SdkAttributeValue,
  _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The SDK decodes binary values to bytes; Lambda's event JSON carries them base64. */
export const toLambdaAttribute = (value: SdkAttributeValue): AttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new Error(`Unknown attribute value: ${JSON.stringify(value)}`);
};

const toLambdaImage = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(image).map(([name, value]) => [name, toLambdaAttribute(value)]),
  );

/**
 * A record read with the Streams API, in the exact shape Lambda's event-source mapping hands
 * to a function: epoch seconds instead of a Date, base64 binaries, and the stream's ARN as
 * eventSourceARN (Lambda adds it; the Streams API does not).
 */
export const toLambdaRecord = (
  record: SdkRecord,
  source: { eventSourceARN: string; awsRegion: string },
): DynamoDBRecord => {
  const stream = record.dynamodb ?? {};
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
  if (stream.ApproximateCreationDateTime) {
    dynamodb.ApproximateCreationDateTime = Math.floor(
      stream.ApproximateCreationDateTime.getTime() / 1000,
    );
  }
  if (stream.Keys) dynamodb.Keys = toLambdaImage(stream.Keys);
  if (stream.NewImage) dynamodb.NewImage = toLambdaImage(stream.NewImage);
  if (stream.OldImage) dynamodb.OldImage = toLambdaImage(stream.OldImage);
  if (stream.SequenceNumber) dynamodb.SequenceNumber = stream.SequenceNumber;
  if (stream.SizeBytes !== undefined) dynamodb.SizeBytes = stream.SizeBytes;
  if (stream.StreamViewType) dynamodb.StreamViewType = stream.StreamViewType;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? source.awsRegion,
    dynamodb,
    eventSourceARN: source.eventSourceARN,
  };
};
