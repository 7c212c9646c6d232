/**
 * Reading one environment variable: each reader refuses a bad value with one line naming the
 * variable, the value and what is allowed, which `npm start` prints before it starts anything.
 * An empty variable counts as unset, as `VAR= npm start` means "the default" in a shell.
 */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'invalid_config';
}

/** The value of `name`; undefined when it is unset or empty. */
export const readVariable = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** The port in `env[name]`, if set; the message names the variable (several hold ports). */
export const parsePort = (env: Env, name: string): number | undefined => {
  const value = readVariable(env, name);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError(`Not a port number: ${name}="${value}".`);
  }
  return port;
};

export interface WholeNumberRule {
  min: number;
  max?: number | undefined;
  /** How the message says what is allowed, when the range alone would not say enough. */
  allowed?: string | undefined;
}

const rangeOf = ({ min, max }: WholeNumberRule): string =>
  max === undefined ? `${min} or more` : `from ${min} to ${max}`;

/**
 * A whole number within the rule's range. Digits only: Number() reads " " as 0 and "1e3" as
 * 1000, and a window of "0.5" ms or a batch of "-1" means a typo, not a wish.
 */
export const wholeNumberOf = (
  env: Env,
  name: string,
  rule: WholeNumberRule,
): number | undefined => {
  const value = readVariable(env, name);
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (!(number >= rule.min && number <= max)) {
    const allowed = rule.allowed ?? `a whole number ${rangeOf(rule)}`;
    throw new ConfigError(`${name} must be ${allowed}, got "${value}".`);
  }
  return number;
};

/** A switch: `1` on, `0` off, undefined when unset (the caller's default). */
export const switchOf = (env: Env, name: string): boolean | undefined => {
  const value = readVariable(env, name);
  if (value === undefined) return undefined;
  if (value !== '0' && value !== '1')
    throw new ConfigError(`${name} must be 1, 0 or unset, got "${value}".`);
  return value === '1';
};

/** "a, b or c". */
const alternatives = (allowed: readonly string[]): string =>
  allowed.length < 2 ? allowed.join('') : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;

/** One of `allowed`, in any case (`AUTH_MODE=Cognito` is cognito); undefined when unset. */
export const choiceOf = <T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
): T | undefined => {
  const value = readVariable(env, name);
  if (value === undefined) return undefined;
  const choice = allowed.find((option) => option === value.toLowerCase());
  if (choice === undefined)
    throw new ConfigError(`${name} must be ${alternatives(allowed)}, got "${value}".`);
  return choice;
};
