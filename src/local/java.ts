import { spawnSync } from 'node:child_process';
import { javaCommandOf } from '../config.js';
import { JAVA_INSTALL_HINT, LocalRuntimeError } from './errors.js';

export const MIN_JAVA_MAJOR = 17;

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, for Java 8, `"1.8.0_392"`. */
export const parseJavaMajor = (versionOutput: string): number | undefined => {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
};

/** The java to run DynamoDB Local with; throws a LocalRuntimeError naming the fix. */
export const checkJava = (java = javaCommandOf()): { java: string; major: number } => {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new LocalRuntimeError(
      'java_missing',
      `DynamoDB Local needs Java, and \`${java}\` was not found. ${JAVA_INSTALL_HINT}`,
      { cause: result.error },
    );
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new LocalRuntimeError(
      'java_too_old',
      `DynamoDB Local needs Java ${MIN_JAVA_MAJOR} or newer; \`${java}\` is ${major ?? 'unknown'}. ${JAVA_INSTALL_HINT}`,
    );
  }
  return { java, major };
};
