import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runModelCommand } from '../../src/scale/cli.js';

const run = (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = runModelCommand(
    args,
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('npm run model', () => {
  it('prints JSON with the bill, the cost per thousand active users and the hottest partition', async () => {
    // As a process, the way npm runs it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/scale/main.ts', '--users', '10000', '--dau-share', '0.5', '--json'],
      { encoding: 'utf8' },
    );
    const json = JSON.parse(stdout);
    expect(json.users).toBe(10_000);
    expect(json.dau).toBe(5_000);
    expect(json.monthly_usd).toBeGreaterThan(0);
    expect(json.per_thousand_dau_usd).toBeCloseTo(json.monthly_usd / 5, 6);
    expect(json.hottest_partition.limit).toBe(1_000);
    expect(json.hottest_partition.write_units_per_second).toBeGreaterThan(0);
  });

  it('takes its flags into the model', () => {
    const base = JSON.parse(run(['--users', '1000000', '--json']).out);
    const more = JSON.parse(
      run([
        '--users',
        '1000000',
        '--messages-per-user',
        '80',
        '--hot-inbox-share',
        '0.01',
        '--json',
      ]).out,
    );
    expect(more.per_day.messages).toBe(2 * base.per_day.messages);
    expect(more.hottest_partition.messages_per_second).toBeCloseTo(
      20 * base.hottest_partition.messages_per_second,
      6,
    );
    expect(run(['--users', '10000']).out).toContain('per 1,000 active users');
  });

  it.each([
    [['--users', 'many'], '--users must be a whole number'],
    [['--users', '1.5'], '--users must be a whole number'],
    [['--dau-share', '2'], '--dau-share must be a number from 0 to 1'],
    [['--messages-per-user=-1'], '--messages-per-user must be a number'],
    [['--hot-inbox-share', ''], '--hot-inbox-share must be a number'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], 'positional'],
  ])('rejects %j with exit code 2 and says why', (args, message) => {
    const { code, out, err } = run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('usage: npm run model');
  });

  it('exits 2 as a process on a bad flag', async () => {
    const error = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/scale/main.ts', '--users', 'x'],
      { encoding: 'utf8' },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('--users must be a whole number');
  });
});
