import { parseArgs } from 'node:util';
import { scaleModel } from './capacity-model.js';
import { toJson, toTable } from './format.js';

const USAGE =
  'usage: npm run model -- [--users N] [--dau-share X] [--messages-per-user M] [--hot-inbox-share H] [--json]';

/** A flag's value as a number in [min, max], or a message saying what is wrong. */
const numberFlag = (
  name: string,
  raw: string | undefined,
  range: { min: number; max: number; integer?: boolean },
): number | string | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (!range.integer || Number.isInteger(value));
  return ok
    ? value
    : `--${name} must be ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, got "${raw}"`;
};

/** Runs the command; returns its exit code (2: bad flags, as the shell's convention has it). */
export const runModelCommand = (
  argv: string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        users: { type: 'string' },
        'dau-share': { type: 'string' },
        'messages-per-user': { type: 'string' },
        'hot-inbox-share': { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const parsed = {
    users: numberFlag('users', values.users as string | undefined, {
      min: 1,
      max: 1e10,
      integer: true,
    }),
    dauShare: numberFlag('dau-share', values['dau-share'] as string | undefined, {
      min: 0,
      max: 1,
    }),
    messagesPerUser: numberFlag(
      'messages-per-user',
      values['messages-per-user'] as string | undefined,
      {
        min: 0,
        max: 100_000,
      },
    ),
    hotInboxShare: numberFlag('hot-inbox-share', values['hot-inbox-share'] as string | undefined, {
      min: 0,
      max: 1,
    }),
  };
  const problems = Object.values(parsed).filter((v): v is string => typeof v === 'string');
  if (problems.length > 0) {
    err(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const overrides = Object.fromEntries(
    Object.entries(parsed).filter(([, v]) => typeof v === 'number'),
  ) as Record<string, number>;
  const model = scaleModel(overrides);
  out(values.json ? JSON.stringify(toJson(model), null, 2) : toTable(model));
  return 0;
};
