import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig } from '../src/config.js';

describe('database config', () => {
  it('defaults to the embedded DynamoDB Local on .data and the seed table name', () => {
    const config = loadDatabaseConfig({});
    expect(config.tableName).toBe('cruddur-messages');
    expect(config.target).toMatchObject({ kind: 'embedded', port: undefined });
    expect(config.target.kind === 'embedded' && config.target.dataDir.endsWith('/.data')).toBe(
      true,
    );
  });

  it('uses an endpoint without starting anything when DYNAMODB_ENDPOINT is set', () => {
    expect(
      loadDatabaseConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', DDB_TABLE: 'other' }),
    ).toEqual({
      tableName: 'other',
      target: { kind: 'endpoint', endpoint: 'http://localhost:8000' },
    });
  });

  it('goes to AWS only when told so explicitly', () => {
    expect(loadDatabaseConfig({ DDB_TARGET: 'aws', AWS_REGION: 'eu-west-1' }).target).toEqual({
      kind: 'aws',
      region: 'eu-west-1',
    });
    expect(loadDatabaseConfig({ AWS_REGION: 'eu-west-1' }).target.kind).toBe('embedded');
  });

  it.each([
    [{ DDB_TARGET: 'aws', DYNAMODB_ENDPOINT: 'http://x:1' }, 'exclude each other'],
    [{ DDB_TARGET: 'endpoint' }, 'needs DYNAMODB_ENDPOINT'],
    [{ DYNAMODB_ENDPOINT: 'localhost:8000' }, 'http(s) URL'],
    [{ DDB_TARGET: 'cloud' }, 'embedded, endpoint or aws'],
    [{ DDB_TABLE: 'a b' }, 'DDB_TABLE'],
    [{ DYNAMODB_LOCAL_PORT: '70000' }, 'Not a port'],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadDatabaseConfig(env)).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        message: expect.stringContaining(message),
      }),
    );
  });
});
