import { resolve } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { WEB_DIST_DIR } from './paths.js';

/** Everything that differs between a developer's stack and production. */
export interface StageConfig {
  /** Short lower-case name, part of the stack name and of the Cognito domain prefix. */
  stageName: string;
  prod: boolean;
  /**
   * The table and the user pool hold the data: production keeps them when the stack (or the
   * resource) is deleted; dev stacks delete them unless asked to keep them.
   */
  dataRemovalPolicy: RemovalPolicy;
  /** Production also refuses to delete them until deletion protection is switched off. */
  dataDeletionProtection: boolean;
  /** Dev stacks empty and delete the web bucket on destroy; production keeps it. */
  autoDeleteWebBucket: boolean;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  /** The built web app; deployed only if it holds an index.html at synth time. */
  webDistDir: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

export const stageConfig = (options: {
  stageName?: string | undefined;
  prod?: boolean | undefined;
  /** Keep the table and the user pool when a dev stack is destroyed. */
  retainData?: boolean | undefined;
  webDistDir?: string | undefined;
}): StageConfig => {
  const prod = options.prod ?? false;
  const stageName = options.stageName ?? (prod ? 'prod' : 'dev');
  if (!STAGE_NAME.test(stageName)) {
    throw new Error(
      `stage must be 1-20 characters of a-z 0-9 -, starting with a letter; got "${stageName}".`,
    );
  }
  if (/aws|amazon|cognito/.test(stageName)) {
    throw new Error(
      'stage must not contain "aws", "amazon" or "cognito" (Cognito refuses them in domain ' +
        `prefixes); got "${stageName}".`,
    );
  }
  const retainData = options.retainData ?? prod;
  return {
    stageName,
    prod,
    dataRemovalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    dataDeletionProtection: prod,
    autoDeleteWebBucket: !prod,
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.ONE_WEEK,
    logRemovalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    webDistDir: resolve(options.webDistDir ?? WEB_DIST_DIR),
  };
};

/**
 * From the cdk command line: `-c stage=alice`, `-c prod=true`, `-c retainData=true`,
 * `-c webDist=path/to/build` (a relative path is relative to the working directory).
 */
export const stageConfigFromContext = (node: Node): StageConfig =>
  stageConfig({
    stageName: optionalString(node.tryGetContext('stage')),
    prod: optionalBoolean(node.tryGetContext('prod'), 'prod'),
    retainData: optionalBoolean(node.tryGetContext('retainData'), 'retainData'),
    webDistDir: optionalString(node.tryGetContext('webDist')),
  });

const optionalString = (value: unknown): string | undefined =>
  value === undefined || value === '' ? undefined : String(value);

/** Context from the command line arrives as a string; from cdk.json it may be a boolean. */
const optionalBoolean = (value: unknown, name: string): boolean | undefined => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${name} must be true or false, got "${String(value)}".`);
};
