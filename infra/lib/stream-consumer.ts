import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MANAGEMENT_ENDPOINT_VARIABLE } from '../../src/realtime/management-client.js';
import { STREAM_FILTERS } from '../../src/stream/filter.js';
import { STREAM_ENTRY } from './paths.js';
import type { RealtimeGateway } from './realtime.js';
import { ServiceFunction } from './service-function.js';
import type { MessagesTable } from './table.js';

export interface StreamConsumerProps {
  messages: MessagesTable;
  /** Where it pushes what pattern E did (src/realtime/stream-fanout.ts). */
  realtime: RealtimeGateway;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * Pattern E on AWS: the table's stream → an event source mapping → the handler of
 * src/stream/lambda.ts, with the settings the local event source imitates (bounded retries,
 * bisection, partial batch responses, a dead-letter queue, the same filter).
 */
export class StreamConsumer extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.ILogGroup;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { table, messageGroupIndexArn } = props.messages;

    const service = new ServiceFunction(this, 'Consumer', {
      entry: STREAM_ENTRY,
      description: 'Pattern E: moves both group rows of a conversation to its newest message',
      // The work is DynamoDB round trips, not CPU: the smallest size that starts quickly.
      memorySize: 256,
      // A batch of 1,000 records is at most 1,000 conversations, 16 at a time, each with a
      // few bounded retries: far below a minute. Longer would only hide a hang.
      timeout: Duration.minutes(1),
      environment: {
        DDB_TABLE: table.tableName,
        [MANAGEMENT_ENDPOINT_VARIABLE]: props.realtime.managementEndpoint,
      },
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    this.function = service.function;
    this.role = service.role;
    this.logGroup = service.logGroup;
    Validations.of(service.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the event source mapping, has no resource-level ' +
        "permissions; the stream read actions themselves are limited to this table's stream.",
    });

    // Exactly the requests of src/messaging/advance-message-groups.ts and of the push after it
    // (src/realtime/pusher.ts). TransactWriteItems has no IAM action of its own: each Put,
    // Update and Delete in it is authorized as PutItem, UpdateItem and DeleteItem.
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindGroupRowsOnTheIndex',
        actions: ['dynamodb:Query'],
        resources: [messageGroupIndexArn],
      }),
    );
    // Read a conversation's participants (GetItem), its messages in a range and each
    // participant's connections for the push (Query on the table).
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadParticipantsMessagesAndConnections',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
      }),
    );
    // Move group rows (a Delete of the old key and a Put of the new), update a row in place and
    // the owner's `unread_conversations` (UpdateItem), follow an edit or unsend into a preview
    // (UpdateItem); and delete a connection the push found gone (410: DeleteItem).
    service.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MoveAndUpdateGroupRows',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
      }),
    );
    // Post to the connections (PostToConnection on the Management API).
    props.realtime.grantManageConnections(service.role);

    // Lambda sends what it gave up on here: the shard and sequence-number range of the
    // failed batch (not the records themselves, which the stream keeps for 24 hours).
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to notice the alarm and look at what failed.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the stream mapping; nothing ' +
        'consumes it automatically, so it needs no dead-letter queue of its own.',
    });

    this.function.addEventSource(
      new DynamoEventSource(table, {
        // LATEST can miss records written while the mapping is being created.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        // Like the local consumer (STREAM_BATCH_SIZE=1000): the handler coalesces a batch to
        // one update per conversation, so bigger batches mean fewer E transactions (12 WCU
        // each) for busy conversations, and less lag (npm run bench:stream: p99 ~4 s at 100,
        // ~0.7 s at 1,000 under 32 senders).
        batchSize: 1000,
        // Pattern E costs one transaction per conversation per batch: waiting up to a second
        // to fill a batch caps a busy conversation at about one transaction a second, for at
        // most a second more before the conversation list shows the newest message. The
        // messages themselves (pattern A) are visible at once.
        maxBatchingWindow: Duration.seconds(1),
        // One batch at a time per shard (docs/scale.md): shards grow with the table, about 1.5
        // filtered records a shard a second at the peak at any size, and more batches per shard
        // would not lift a hot inbox's limit, which is its partition's (1,000 WCU/s) and whose
        // records are in every shard. Explicit, so that a change is a decision.
        parallelizationFactor: 1,
        // A record that keeps failing is split off from the rest of its batch…
        bisectBatchOnError: true,
        // …retried a bounded number of times (the default is forever, blocking the shard)…
        retryAttempts: 5,
        // …and given up after a day, which is also how long the stream keeps records.
        maxRecordAge: Duration.days(1),
        // The handler returns {batchItemFailures}: only failed records are retried.
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        // The same pattern the local event source applies (src/stream/filter.ts): only new
        // messages invoke the function. The handler checks again; filters save invocations.
        filters: STREAM_FILTERS.map((filter) => lambda.FilterCriteria.filter(filter)),
      }),
    );
  }
}
