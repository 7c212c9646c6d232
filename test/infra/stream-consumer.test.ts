import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_FILTERS } from '../../src/stream/filter.js';
import {
  functionIds,
  getAtt,
  onlyResource,
  type Synthesized,
  synthesize,
  tableStatementsOfLeastPrivilegeRole,
} from './support/synthesize.js';

const STREAM_FUNCTION = { Properties: { Description: Match.stringLikeRegexp('^Pattern E') } };

let s: Synthesized;
let ids: { table: string; fn: string; role: string; logs: string; queue: string };
beforeAll(() => {
  s = synthesize();
  ids = {
    ...functionIds(s.template, STREAM_FUNCTION),
    queue: onlyResource(s.template, 'AWS::SQS::Queue').id,
  };
});
afterAll(() => s.cleanup());

const mapping = () =>
  onlyResource(s.template, 'AWS::Lambda::EventSourceMapping').resource.Properties;

describe('the stream consumer (pattern E)', () => {
  it('runs src/stream/lambda.ts on Node 22, ARM, outside any VPC, told the table by DDB_TABLE', () => {
    const { Properties: p } = onlyResource(
      s.template,
      'AWS::Lambda::Function',
      STREAM_FUNCTION,
    ).resource;
    expect(p.Runtime).toBe('nodejs22.x');
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.Handler).toBe('index.handler');
    expect(p.VpcConfig).toBeUndefined();
    expect(p.Environment).toEqual({
      Variables: {
        DDB_TABLE: { Ref: ids.table },
        // The push after pattern E: src/realtime/stream-fanout.ts, test/infra/realtime.test.ts.
        REALTIME_MANAGEMENT_ENDPOINT: s.stack.resolve(s.stack.realtimeGateway.managementEndpoint),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  it('logs to its own log group: a week in dev, deleted with the stack', () => {
    const logGroup = s.template.toJSON().Resources[ids.logs];
    expect(logGroup.Properties).toEqual({ RetentionInDays: 7 });
    expect(logGroup.DeletionPolicy).toBe('Delete');
  });

  it('keeps a year of logs in production, also after the stack is gone', () => {
    const prod = synthesize({ context: { prod: 'true' } });
    try {
      const logGroups = Object.values(prod.template.findResources('AWS::Logs::LogGroup'));
      // Stream function, API function, API access logs, the two realtime functions, the
      // WebSocket stage's access logs.
      expect(logGroups).toHaveLength(6);
      for (const logGroup of logGroups) {
        expect(logGroup.Properties).toEqual({ RetentionInDays: 365 });
        expect(logGroup.DeletionPolicy).toBe('Retain');
      }
    } finally {
      prod.cleanup();
    }
  });

  it('reads the stream from the start, in bounded batches, with partial batch responses', () => {
    const p = mapping();
    expect(p.FunctionName).toEqual({ Ref: ids.fn });
    expect(p.EventSourceArn).toEqual(getAtt(ids.table, 'StreamArn'));
    expect(p.StartingPosition).toBe('TRIM_HORIZON');
    expect(p.BatchSize).toBe(1000);
    expect(p.MaximumBatchingWindowInSeconds).toBe(1);
    expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('gives up on a failing record after bisection, 5 retries or a day, into the DLQ', () => {
    const p = mapping();
    expect(p.BisectBatchOnFunctionError).toBe(true);
    expect(p.MaximumRetryAttempts).toBe(5);
    expect(p.MaximumRecordAgeInSeconds).toBe(86_400);
    expect(p.DestinationConfig).toEqual({ OnFailure: { Destination: getAtt(ids.queue, 'Arn') } });
  });

  it('deploys the filters of src/stream/filter.ts, byte for byte', () => {
    const filters = (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters).toEqual([
      {
        Pattern: '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"item_type":{"S":["message"]}}}}',
      },
      {
        Pattern:
          '{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"item_type":{"S":["message","message_group"]}}}}',
      },
    ]);
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual(STREAM_FILTERS);
  });

  it('has an encrypted dead-letter queue that refuses plain HTTP and keeps messages 14 days', () => {
    expect(s.template.toJSON().Resources[ids.queue].Properties).toEqual({
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: getAtt(ids.queue, 'Arn'),
          },
        ],
      },
    });
  });

  it('may do exactly what pattern E does, and nothing else', () => {
    expect(tableStatementsOfLeastPrivilegeRole(s.template, ids)).toEqual([
      {
        Sid: 'FindGroupRowsOnTheIndex',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [getAtt(ids.table, 'Arn'), '/index/message-group-sk-index']] },
      },
      // Participants, a range of messages, and (for the push) each participant's connections.
      {
        Sid: 'ReadParticipantsMessagesAndConnections',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: getAtt(ids.table, 'Arn'),
      },
      // Rows moved (Delete + Put) or updated, unread counts, previews; gone connections.
      {
        Sid: 'MoveAndUpdateGroupRows',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: getAtt(ids.table, 'Arn'),
      },
      // The push posts to connections: execute-api:ManageConnections, asserted in realtime.test.ts.
      expect.objectContaining({ Action: 'execute-api:ManageConnections' }),
      // Added by the on-failure destination.
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: getAtt(ids.queue, 'Arn'),
      },
      // Added by the event source mapping: ListStreams has no resource-level permissions.
      { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: getAtt(ids.table, 'StreamArn'),
      },
    ]);
  });
});
