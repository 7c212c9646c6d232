import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  streamFunction: lambda.IFunction;
  deadLetterQueue: sqs.IQueue;
  apiFunction: lambda.IFunction;
  httpApi: apigw.HttpApi;
  /** The log groups of the functions that push (stream consumer, WebSocket handler). */
  pushLogGroups: logs.ILogGroup[];
}

/** Where failed pushes are counted: src/realtime/pusher.ts logs each one with these words. */
export const FAILED_PUSHES_METRIC = { namespace: 'CruddurMessaging', metricName: 'FailedPushes' };
export const FAILED_PUSH_LOG_PATTERN =
  '?"push: PostToConnection failed" ?"push: cannot list connections"';

/**
 * What someone on call needs to know: pattern E falling behind or giving up, and either
 * function failing. The alarms have no actions: subscribe a topic of your own
 * (`alarm.addAlarmAction(new SnsAction(topic))`) where you receive notifications.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const oneMinute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    props.pushLogGroups.forEach((logGroup, index) => {
      new logs.MetricFilter(this, `FailedPushes${index}`, {
        logGroup,
        filterPattern: logs.FilterPattern.literal(FAILED_PUSH_LOG_PATTERN),
        metricNamespace: FAILED_PUSHES_METRIC.namespace,
        metricName: FAILED_PUSHES_METRIC.metricName,
        metricValue: '1',
      });
    });

    this.alarms = [
      // Conversation lists trail the messages by this much. Normal is about a second.
      props.streamFunction
        .metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: oneMinute })
        .createAlarm(this, 'StreamIteratorAge', {
          alarmDescription:
            'Pattern E is more than 60 s behind the table stream: conversation lists are stale.',
          threshold: 60_000,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      // Any message here is a batch of stream records pattern E gave up on.
      props.deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: fiveMinutes })
        .createAlarm(this, 'StreamDeadLetters', {
          alarmDescription:
            'The stream consumer gave up on records (see the dead-letter queue); replay them ' +
            'within 24 h, while the stream still holds them.',
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      props.streamFunction.metricErrors({ period: fiveMinutes }).createAlarm(this, 'StreamErrors', {
        alarmDescription: 'The stream function failed whole invocations (crash or timeout).',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      props.apiFunction.metricErrors({ period: fiveMinutes }).createAlarm(this, 'ApiErrors', {
        alarmDescription: 'The API function failed invocations (crash, timeout, bad config).',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      // The function answers its own errors with 500s without failing the invocation.
      props.httpApi
        .metricServerError({ period: fiveMinutes })
        .createAlarm(this, 'ApiServerErrors', {
          alarmDescription: 'The API answered 5xx (including 503 when DynamoDB is unreachable).',
          threshold: 5,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      // A 410 is not a failure (the connection was gone, its item is deleted); these are
      // throttles, timeouts and denied posts: frames nobody received until they reconnect.
      new cloudwatch.Metric({
        ...FAILED_PUSHES_METRIC,
        statistic: 'Sum',
        period: fiveMinutes,
      }).createAlarm(this, 'RealtimePushFailures', {
        alarmDescription:
          'Realtime pushes failed (PostToConnection errors other than 410, or connections ' +
          'not listed): open apps miss frames until they reconnect. See the logs of the ' +
          'stream consumer and the WebSocket handler ("push:").',
        threshold: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
