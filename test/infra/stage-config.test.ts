import { resolve } from 'node:path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../infra/lib/paths.js';
import { stageConfig, stageConfigFromContext } from '../../infra/lib/stage-config.js';

const fromContext = (context: Record<string, unknown>) =>
  stageConfigFromContext(new App({ context }).node);

describe('stage configuration', () => {
  it('defaults to a disposable dev stage that deploys web/dist', () => {
    expect(fromContext({})).toEqual({
      stageName: 'dev',
      prod: false,
      dataRemovalPolicy: RemovalPolicy.DESTROY,
      dataDeletionProtection: false,
      autoDeleteWebBucket: true,
      logRetention: RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.DESTROY,
      webDistDir: WEB_DIST_DIR,
    });
  });

  it('prod=true keeps data and logs: retained, deletion-protected; stage "prod"', () => {
    expect(fromContext({ prod: 'true' })).toEqual({
      stageName: 'prod',
      prod: true,
      dataRemovalPolicy: RemovalPolicy.RETAIN,
      dataDeletionProtection: true,
      autoDeleteWebBucket: false,
      logRetention: RetentionDays.ONE_YEAR,
      logRemovalPolicy: RemovalPolicy.RETAIN,
      webDistDir: WEB_DIST_DIR,
    });
  });

  it('takes a stage name, kept dev data and another web build from the context', () => {
    const config = fromContext({ stage: 'alice', retainData: 'true', webDist: 'build/web' });
    expect(config).toMatchObject({
      stageName: 'alice',
      prod: false,
      dataRemovalPolicy: RemovalPolicy.RETAIN,
      dataDeletionProtection: false,
      webDistDir: resolve('build/web'),
    });
    // cdk.json context may hold real booleans.
    expect(fromContext({ prod: true }).prod).toBe(true);
    expect(fromContext({ prod: 'false' }).prod).toBe(false);
  });

  it('refuses stage names that cannot be part of a stack name and a Cognito domain', () => {
    for (const stageName of ['Dev', 'my_stage', '1dev', 'a'.repeat(21), 'dev!']) {
      expect(() => stageConfig({ stageName }), stageName).toThrow(/stage must be/);
    }
    for (const stageName of ['aws-dev', 'amazon', 'my-cognito']) {
      expect(() => stageConfig({ stageName }), stageName).toThrow(/must not contain "aws"/);
    }
  });

  it('refuses a flag that is neither true nor false', () => {
    expect(() => fromContext({ prod: 'yes' })).toThrow(
      'context prod must be true or false, got "yes".',
    );
  });
});
