import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The folder rules of docs/architecture.md are Biome's `noRestrictedImports` overrides in
 * biome.json. Each rule is proven able to fail: a probe file with a forbidden import, placed
 * where the rule applies in a scratch copy of the layout, must get that rule's message, and a
 * probe with imports the rule allows must get none. One Biome run lints every probe.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

interface Probe {
  file: string;
  imports: string[];
  /** The rule whose message the probe must get; none: the imports are allowed. */
  rule?: string;
}

const PROBES: Probe[] = [
  { file: 'src/contract/a.ts', imports: ['./other.js'], rule: 'contract-imports-nothing' },
  { file: 'src/contract/b.ts', imports: ['node:crypto'], rule: 'contract-imports-nothing' },

  {
    file: 'src/messaging/a.ts',
    imports: ['../store/dynamo-table.js'],
    rule: 'core-imports-only-contract',
  },
  { file: 'src/messaging/b.ts', imports: ['../config.js'], rule: 'core-imports-only-contract' },
  {
    file: 'src/messaging/requests/a.ts',
    imports: ['../../api/wire.js'],
    rule: 'core-imports-only-contract',
  },
  {
    file: 'src/messaging/c.ts',
    imports: ['@aws-sdk/client-dynamodb'],
    rule: 'core-imports-only-contract',
  },
  {
    file: 'src/messaging/ok.ts',
    imports: ['./keys.js', './requests/messages.js', '../contract/limits.js'],
  },
  {
    file: 'src/messaging/requests/ok.ts',
    imports: ['../keys.js', './conditions.js', '../../contract/limits.js', '@aws-sdk/lib-dynamodb'],
  },

  { file: 'src/store/a.ts', imports: ['../api/errors.js'], rule: 'store-imports-only-core' },
  { file: 'src/store/b.ts', imports: ['../costs/cost-model.js'], rule: 'store-imports-only-core' },
  {
    file: 'src/store/ok.ts',
    imports: ['../messaging/errors.js', '../contract/limits.js', './clients.js'],
  },

  {
    file: 'src/local/a.ts',
    imports: ['../api/auth/local-issuer.js'],
    rule: 'libraries-import-no-edge',
  },
  { file: 'src/costs/a.ts', imports: ['../stream/outcomes.js'], rule: 'libraries-import-no-edge' },
  { file: 'src/config/a.ts', imports: ['../realtime/pusher.js'], rule: 'libraries-import-no-edge' },
  {
    file: 'src/runtime/ok.ts',
    imports: ['../local/errors.js', '../store/clients.js', '../config.js'],
  },
  {
    file: 'src/config.ts',
    imports: ['./api/api-config.js'],
    rule: 'libraries-import-no-edge',
  },

  { file: 'src/api/a.ts', imports: ['../realtime/pusher.js'], rule: 'api-pushes-nothing' },
  { file: 'src/api/routes/a.ts', imports: ['../../stream/handler.js'], rule: 'api-pushes-nothing' },
  { file: 'src/api/b.ts', imports: ['../cli/print.js'], rule: 'tools-are-entry-points' },
  {
    file: 'src/api/ok.ts',
    imports: [
      '../messaging/messaging.js',
      '../costs/cost-ledger.js',
      '../push/inspector-feed.js',
      './routes/config.js',
    ],
  },

  { file: 'src/stream/a.ts', imports: ['../api/wire.js'], rule: 'consumer-and-feed-import-no-api' },
  {
    file: 'src/push/a.ts',
    imports: ['../api/context.js'],
    rule: 'consumer-and-feed-import-no-api',
  },
  {
    file: 'src/stream/local/ok.ts',
    imports: [
      '../../realtime/stream-fanout.js',
      '../../runtime/database.js',
      '../../costs/cost-middleware.js',
    ],
  },

  {
    file: 'src/realtime/a.ts',
    imports: ['../api/routes/users.js'],
    rule: 'realtime-shares-auth-and-wire',
  },
  {
    file: 'src/realtime/b.ts',
    imports: ['../stream/handler.js'],
    rule: 'realtime-shares-auth-and-wire',
  },
  {
    file: 'src/realtime/ok.ts',
    imports: [
      '../api/auth/authenticator.js',
      '../api/errors.js',
      '../api/wire.js',
      '../stream/outcomes.js',
    ],
  },
  {
    file: 'src/realtime/local-gateway/ok.ts',
    imports: ['../../api/context.js', '../../api/auth/authenticator.js'],
  },

  { file: 'src/cli/a.ts', imports: ['../api/app.js'], rule: 'tools-work-below-the-edges' },
  { file: 'src/scale/a.ts', imports: ['../cli/print.js'], rule: 'tools-are-entry-points' },
  {
    file: 'src/cli/ok.ts',
    imports: ['../seed/seed.js', '../consistency/audit-table.js', '../runtime/database.js'],
  },
  {
    file: 'src/scale/ok.ts',
    imports: [
      '../costs/cost-model.js',
      '../realtime/connection-requests.js',
      './cli.js',
      './main.js',
    ],
  },

  {
    file: 'web/src/features/conversations/a.ts',
    imports: ['../messages/messages-api'],
    rule: 'web-features-stay-apart',
  },
  {
    file: 'web/src/features/conversations/b.ts',
    imports: ['../../features/messages/peer'],
    rule: 'web-features-stay-apart',
  },
  {
    file: 'web/src/features/conversations/c.ts',
    imports: ['../../app/router'],
    rule: 'web-layers-point-down',
  },
  {
    file: 'web/src/features/conversations/ok.ts',
    imports: [
      './conversations-api',
      '../../lib/api-client',
      '../../components/Icon',
      '../../../../src/contract/limits',
      'react',
    ],
  },
  {
    file: 'web/src/features/messages/parts/a.ts',
    imports: ['../../auth/SignInPage'],
    rule: 'web-features-stay-apart',
  },
  {
    file: 'web/src/features/messages/parts/ok.ts',
    imports: ['../peer', './b', '../../../lib/api-client'],
  },
  {
    file: 'web/src/components/a.ts',
    imports: ['../features/auth/SignInPage'],
    rule: 'web-layers-point-down',
  },
  { file: 'web/src/components/ok.ts', imports: ['../lib/api-error', './Icon'] },
  { file: 'web/src/lib/a.ts', imports: ['../components/Icon'], rule: 'web-layers-point-down' },
  { file: 'web/src/lib/ok.ts', imports: ['./session', '../../../src/contract/limits'] },
];

interface Diagnostic {
  message: string;
  location: { path: string };
}

const biomeConfig = (): string => {
  const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
  // The scratch directory is no git work tree.
  return JSON.stringify({ ...config, vcs: { enabled: false } });
};

let scratch: string;
let diagnostics: Diagnostic[];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'folder-rules-'));
  writeFileSync(join(scratch, 'biome.json'), biomeConfig());
  for (const { file, imports } of PROBES) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    const source = imports.map((from, i) => `import { x${i} } from '${from}';`).join('\n');
    const names = imports.map((_, i) => `x${i}`).join(', ');
    writeFileSync(join(scratch, file), `${source}\nexport { ${names} };\n`);
  }
  const run = spawnSync(
    BIOME,
    ['lint', '--only=style/noRestrictedImports', '--reporter=json', '--max-diagnostics=1000', '.'],
    { cwd: scratch, encoding: 'utf8' },
  );
  diagnostics = (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the folder rules (biome.json, docs/architecture.md)', () => {
  it.each(PROBES.filter((probe) => probe.rule))('$file: $imports fails $rule', ({ file, rule }) => {
    const messages = diagnostics.filter((d) => d.location.path === file).map((d) => d.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`Folder rule ${rule} (docs/architecture.md, Folder rules)`);
  });

  it.each(PROBES.filter((probe) => !probe.rule))('$file: $imports passes', ({ file }) => {
    expect(diagnostics.filter((d) => d.location.path === file)).toEqual([]);
  });

  it('cover every folder of src/', () => {
    const config = readFileSync(join(ROOT, 'biome.json'), 'utf8');
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !config.includes(`"src/${folder}/`))).toEqual([]);
  });
});
