import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MessagingStack } from './messaging-stack.js';
import { type StageConfig, stageConfigFromContext } from './stage-config.js';

export interface CruddurApp {
  app: App;
  stack: MessagingStack;
  config: StageConfig;
}

/**
 * The CDK app: one stack per stage, `CruddurMessaging-<stage>`. Environment-agnostic unless
 * CDK_DEFAULT_ACCOUNT/REGION are set (the CLI sets them from your profile), so synthesis needs
 * no AWS account. Two checks run on every synthesis and stop it on a finding: CDK's
 * CloudFormation validation (template schema and lint rules) and cdk-nag's AWS Solutions
 * pack; each cdk-nag acknowledgment in lib/ says why.
 */
export const createApp = (props: AppProps = {}): CruddurApp => {
  const app = new App({
    ...props,
    context: {
      // Without this flag CDK only warns about CloudFormation validation findings.
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...props.context,
    },
  });
  const config = stageConfigFromContext(app.node);
  const stack = new MessagingStack(app, `CruddurMessaging-${config.stageName}`, {
    config,
    description: `Cruddur Messaging (${config.stageName}): DynamoDB, stream consumer, API, web app`,
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION,
    },
    terminationProtection: config.prod,
    tags: { project: 'cruddur-messaging', stage: config.stageName },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, config };
};
