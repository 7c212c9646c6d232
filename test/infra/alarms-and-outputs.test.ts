import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyResource, type Synthesized, synthesize } from './support/synthesize.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});
afterAll(() => s.cleanup());

const fnId = (description: RegExp) => {
  const [id] = Object.entries(s.template.findResources('AWS::Lambda::Function')).find(([, r]) =>
    description.test(String(r.Properties.Description)),
  ) ?? [''];
  return id;
};
const alarm = (name: string): Record<string, unknown> => {
  const found = Object.entries(s.template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
    id.startsWith(`Alarms${name}`),
  );
  expect(found).toHaveLength(1);
  const [[, resource]] = found as [[string, { Properties: Record<string, unknown> }]];
  return resource.Properties;
};

describe('alarms', () => {
  it('fire when pattern E is more than 60 s behind the stream (3 minutes running)', () => {
    expect(alarm('StreamIteratorAge')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(/^Pattern E/) } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire on any message in the dead-letter queue', () => {
    const queue = onlyResource(s.template, 'AWS::SQS::Queue').id;
    expect(alarm('StreamDeadLetters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on any failed invocation of either function', () => {
    for (const [name, description] of [
      ['StreamErrors', /^Pattern E/],
      ['ApiErrors', /HTTP API/],
    ] as const) {
      expect(alarm(name)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId(description) } }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('fire on repeated 5xx answers of the HTTP API', () => {
    const api = onlyResource(s.template, 'AWS::ApiGatewayV2::Api', {
      Properties: { ProtocolType: 'HTTP' },
    }).id;
    expect(alarm('ApiServerErrors')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
      Threshold: 5,
    });
  });

  it('are exactly these six (the sixth, on failed pushes: test/infra/realtime.test.ts)', () => {
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });
});

describe('outputs', () => {
  it('name everything a person or the CLI needs after a deploy', () => {
    expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual([
      'ApiGatewayUrl',
      'ApiUrl',
      'DeadLetterQueueUrl',
      'RealtimeUrl',
      'SiteUrl',
      'TableName',
      'UserPoolClientId',
      'UserPoolDomain',
      'UserPoolId',
    ]);
    const outputs = s.template.toJSON().Outputs;
    expect(outputs.TableName.Value).toEqual({
      Ref: onlyResource(s.template, 'AWS::DynamoDB::Table').id,
    });
    expect(outputs.UserPoolId.Value).toEqual({
      Ref: onlyResource(s.template, 'AWS::Cognito::UserPool').id,
    });
    expect(outputs.DeadLetterQueueUrl.Value).toEqual({
      Ref: onlyResource(s.template, 'AWS::SQS::Queue').id,
    });
  });
});
