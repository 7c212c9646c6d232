import { type Env, readVariable, switchOf } from './env-values.js';

/** SEED=0 skips the demo data on a first start. */
export const seedDemoDataOf = (env: Env = process.env): boolean => switchOf(env, 'SEED') ?? true;

/**
 * The Java that runs DynamoDB Local: any command; whether it runs, and is recent enough, is
 * checked when DynamoDB Local starts (src/local/java.ts), with the fix in the message.
 */
export const javaCommandOf = (env: Env = process.env): string =>
  readVariable(env, 'JAVA') ?? 'java';
