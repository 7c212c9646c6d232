import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJava, parseJavaMajor } from '../../src/local/java.js';

describe('java check', () => {
  it('reads the major version of old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('no version here')).toBeUndefined();
  });

  it('accepts the java of this machine', () => {
    expect(checkJava().major).toBeGreaterThanOrEqual(17);
  });

  it('names the fix when java is missing', () => {
    expect(() => checkJava('/nonexistent/bin/java')).toThrow(
      expect.objectContaining({
        code: 'java_missing',
        message: expect.stringContaining('apt-get install -y openjdk-17-jre-headless'),
      }),
    );
  });

  it('names the fix when java is too old', () => {
    const dir = mkdtempSync(join(tmpdir(), 'old-java-'));
    const fake = join(dir, 'java');
    writeFileSync(fake, '#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n');
    chmodSync(fake, 0o755);
    expect(() => checkJava(fake)).toThrow(
      expect.objectContaining({
        code: 'java_too_old',
        message: expect.stringContaining('Java 17 or newer'),
      }),
    );
  });
});
