import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../../../infra/lib/app.js';
import type { MessagingStack } from '../../../infra/lib/messaging-stack.js';

export interface SynthOptions {
  /** `-c` context, as the cdk command line would pass it. */
  context?: Record<string, string>;
  /** Run esbuild for the functions (seconds). Off, CDK skips bundling: enough for templates. */
  bundle?: boolean;
  /** Run CDK's CloudFormation validation too (about 3 s): on where a test is about it. */
  validate?: boolean;
  /** Whether a built web app (an index.html) exists at synth time. Default: it does not. */
  webApp?: 'built' | 'missing';
  /**
   * CDK_DEFAULT_ACCOUNT/REGION as the CDK CLI sets them for the app: the region always (from
   * the profile, else us-east-1), the account when there are credentials. Default: neither,
   * an environment-agnostic stack.
   */
  cliEnvironment?: { region: string; account?: string };
}

export interface Synthesized {
  app: App;
  stack: MessagingStack;
  template: Template;
  /** The cloud assembly directory; asset.<hash>/ folders live here. */
  outdir: string;
  /** Removes the cloud assembly and the fake web build. */
  cleanup(): void;
}

/** The app of infra/bin/app.ts, synthesized into a temporary directory. */
export const synthesize = (options: SynthOptions = {}): Synthesized => {
  const scratch = mkdtempSync(join(tmpdir(), 'cruddur-cdk-'));
  const outdir = join(scratch, 'cdk.out');
  const webDist = join(scratch, 'web-dist');
  if (options.webApp === 'built') {
    mkdirSync(webDist);
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Cruddur</title>');
  }
  const { app, stack } = withCliEnvironment(options.cliEnvironment, () =>
    createApp({
      outdir,
      builtinCloudFormationValidation: options.validate ?? false,
      context: {
        webDist,
        ...options.context,
        // The CLI's own switch for "do not bundle the assets of these stacks".
        ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      },
    }),
  );
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    outdir,
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  };
};

/** Runs `make` with CDK_DEFAULT_ACCOUNT/REGION set as given (unset if not), then restores them. */
const withCliEnvironment = <T>(environment: SynthOptions['cliEnvironment'], make: () => T): T => {
  const names = {
    CDK_DEFAULT_REGION: environment?.region,
    CDK_DEFAULT_ACCOUNT: environment?.account,
  };
  const saved = Object.fromEntries(Object.keys(names).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(names);
  try {
    return make();
  } finally {
    set(saved);
  }
};

type Resource = { Properties: Record<string, unknown> } & Record<string, unknown>;

/** The one resource of `type` matching `props` (objectLike), with its logical id. */
export const onlyResource = (
  template: Template,
  type: string,
  props: Record<string, unknown> = {},
): { id: string; resource: Resource } => {
  const found = Object.entries(template.findResources(type, props));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [[id, resource]] = found as [[string, Resource]];
  return { id, resource };
};

/**
 * The logical ids around the one function matching `props`: itself, its role, its log group,
 * and the table.
 */
export const functionIds = (
  template: Template,
  props: Record<string, unknown>,
): { table: string; fn: string; role: string; logs: string } => {
  const fn = onlyResource(template, 'AWS::Lambda::Function', props);
  return {
    table: onlyResource(template, 'AWS::DynamoDB::Table').id,
    fn: fn.id,
    role: (fn.resource.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
    logs: (fn.resource.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
  };
};

/** `{"Fn::GetAtt": [id, attribute]}` */
export const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/**
 * A dev and a production synth (`-c prod=true`) for the test file that calls this, made
 * before its tests and cleaned up after them. Read them inside tests.
 */
export const synthesizeDevAndProd = (): { dev: Synthesized; prod: Synthesized } => {
  const stacks = {} as { dev: Synthesized; prod: Synthesized };
  beforeAll(() => {
    stacks.dev = synthesize();
    stacks.prod = synthesize({ context: { prod: 'true' } });
  });
  afterAll(() => {
    stacks.dev?.cleanup();
    stacks.prod?.cleanup();
  });
  return stacks;
};

/**
 * What a function's role must hold besides its one table policy: no managed policies and an
 * inline policy that lets it write its own log group, nothing more. Returns the table
 * policy's statements, for the test to compare.
 */
export const tableStatementsOfLeastPrivilegeRole = (
  template: Template,
  ids: { role: string; logs: string },
): unknown[] => {
  const role = template.toJSON().Resources[ids.role].Properties;
  expect(role.ManagedPolicyArns).toBeUndefined();
  expect(role.Policies).toEqual([
    {
      PolicyName: 'logs',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: getAtt(ids.logs, 'Arn'),
          },
        ],
      },
    },
  ]);
  const { resource: policy } = onlyResource(template, 'AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: ids.role }] },
  });
  return (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
};
