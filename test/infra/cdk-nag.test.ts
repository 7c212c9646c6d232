import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../infra/lib/app.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

const findings = (scope: IConstruct): string[] =>
  new AwsSolutionsChecks(undefined, { verbose: true })
    .validateScope(scope)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${v.severity} at ${r.constructPath}`),
    );

/** Every acknowledgment in the tree: rule id and the construct it was made on. */
const acknowledgments = (root: IConstruct) =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );

let dev: Synthesized;
let devCli: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  // Built web app: the upload (and its CDK-provided function) is part of the check.
  dev = synthesize({ webApp: 'built', validate: true });
  // What `npm run cdk:synth` synthesizes: the CDK CLI always gives the app a region (its
  // default is us-east-1), and an account when there are credentials. A known region or
  // account is written into ARNs instead of a pseudo parameter, and so into cdk-nag's
  // findings: an acknowledgment written for `<AWS::Region>` alone silences nothing there.
  devCli = synthesize({ webApp: 'built', validate: true, cliEnvironment: { region: 'us-east-1' } });
  // What `cdk deploy -c prod=true` synthesizes, with credentials.
  prod = synthesize({
    webApp: 'built',
    validate: true,
    context: { prod: 'true' },
    cliEnvironment: { region: 'eu-west-1', account: '123456789012' },
  });
});
afterAll(() => {
  // Undefined when its synthesis failed (a finding stops it: the error names it).
  dev?.cleanup();
  devCli?.cleanup();
  prod?.cleanup();
});

describe('cdk-nag (AWS Solutions) and CloudFormation validation', () => {
  it('find nothing unacknowledged, warnings included: environment-agnostic, as the CDK CLI synthesizes, in production', () => {
    expect(findings(dev.app)).toEqual([]);
    expect(findings(devCli.app)).toEqual([]);
    expect(findings(prod.app)).toEqual([]);
  });

  it('run on every synthesis: the report of a full synthesis is empty', () => {
    for (const s of [dev, devCli, prod]) {
      const report = JSON.parse(readFileSync(join(s.outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports).toEqual([]);
    }
  });

  it('each acknowledgment gives a reason of its own', () => {
    const acks = acknowledgments(dev.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, ack.id).toBeGreaterThan(40);
  });

  it('no acknowledgment is stale: each one silences a finding that exists without it', () => {
    const acknowledge = vi
      .spyOn(Validations.prototype, 'acknowledge')
      .mockImplementation(() => undefined);
    let unacknowledged: string[];
    try {
      const scratch = join(dev.outdir, '..');
      const { app } = createApp({
        outdir: join(scratch, 'no-acknowledgments.out'),
        context: { webDist: join(scratch, 'web-dist'), 'aws:cdk:bundling-stacks': [] },
      });
      unacknowledged = findings(app);
    } finally {
      acknowledge.mockRestore();
    }
    for (const ack of acknowledgments(dev.app)) {
      const silenced = unacknowledged.filter((f) => {
        const [rule, , , path] = f.split(' ');
        return rule === ack.id && (path === ack.path || path?.startsWith(`${ack.path}/`));
      });
      expect(silenced, `${ack.id} at ${ack.path}`).not.toEqual([]);
    }
  });
});
