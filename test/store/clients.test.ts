import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDatabaseConfig } from '../../src/config.js';
import { connectDynamo, connectStreams } from '../../src/store/clients.js';

/**
 * The client factory reads no environment: the region and whether the environment holds
 * credentials come from the database config (src/config/database.ts). Nothing here sends a
 * request; the credentials are resolved as the SDK would sign with them.
 */
const ENDPOINT = 'http://127.0.0.1:8000';
const FROM_ENVIRONMENT = {
  accessKeyId: 'AKIAENVIRONMENT',
  secretAccessKey: 'from-the-environment',
};

const credentialsOf = async (connection: ReturnType<typeof connectDynamo>) => {
  const { accessKeyId, secretAccessKey } = await connection.client.config.credentials();
  return { accessKeyId, secretAccessKey };
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('connectDynamo', () => {
  it('gives an endpoint placeholder credentials when the environment holds none', async () => {
    const { client } = loadDatabaseConfig({ DYNAMODB_ENDPOINT: ENDPOINT });
    const connection = connectDynamo({ ...client, endpoint: ENDPOINT });
    expect(await credentialsOf(connection)).toEqual({
      accessKeyId: 'local',
      secretAccessKey: 'local',
    });
    expect(connection).toMatchObject({ endpoint: ENDPOINT, region: 'us-east-1' });
  });

  it("signs with the SDK's own chain when AWS_ACCESS_KEY_ID is set, for an endpoint too", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', FROM_ENVIRONMENT.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FROM_ENVIRONMENT.secretAccessKey);
    const { client } = loadDatabaseConfig({
      DYNAMODB_ENDPOINT: ENDPOINT,
      AWS_ACCESS_KEY_ID: FROM_ENVIRONMENT.accessKeyId,
    });
    expect(client.credentialsInEnvironment).toBe(true);
    const connection = connectDynamo({ ...client, endpoint: ENDPOINT });
    expect(await credentialsOf(connection)).toEqual(FROM_ENVIRONMENT);
    // The Streams client signs as the table's client does.
    const streams = connectStreams(connection);
    const signed = await streams.config.credentials();
    expect(signed.accessKeyId).toBe(FROM_ENVIRONMENT.accessKeyId);
  });

  it("never gives DynamoDB on AWS placeholder credentials: the SDK's chain decides", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', FROM_ENVIRONMENT.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FROM_ENVIRONMENT.secretAccessKey);
    const connection = connectDynamo({ region: 'eu-west-1', credentialsInEnvironment: false });
    expect(await credentialsOf(connection)).toEqual(FROM_ENVIRONMENT);
    expect(connection).toMatchObject({ endpoint: undefined, region: 'eu-west-1' });
  });

  it("takes the config's region, not the environment's", async () => {
    vi.stubEnv('AWS_REGION', 'ap-south-1');
    const { client } = loadDatabaseConfig({ DDB_TARGET: 'aws', AWS_REGION: 'eu-central-1' });
    const connection = connectDynamo(client);
    expect(connection.region).toBe('eu-central-1');
    expect(await connection.client.config.region()).toBe('eu-central-1');
    expect(await connectStreams(connection).config.region()).toBe('eu-central-1');
    // Without a config (tests, benchmarks against their own DynamoDB Local): us-east-1.
    expect(connectDynamo({ endpoint: ENDPOINT }).region).toBe('us-east-1');
  });
});
