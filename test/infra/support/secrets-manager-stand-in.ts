import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerStandIn {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER: where the SDK sends Secrets Manager's calls. */
  endpoint: string;
  /** Every call received: its operation, the SecretId asked for, the service it was signed for. */
  calls: { operation: string; secretId: unknown; signedFor: string | undefined }[];
  close(): Promise<void>;
}

/**
 * Secrets Manager's GetSecretValue on loopback, in its own JSON protocol (awsJson1_1: a POST
 * naming the operation in X-Amz-Target), holding `secrets` (ARN → SecretString). Any other
 * operation or secret answers as Secrets Manager does for a secret it cannot find.
 */
export const startSecretsManagerStandIn = async (
  secrets: Record<string, string>,
): Promise<SecretsManagerStandIn> => {
  const calls: SecretsManagerStandIn['calls'] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { SecretId?: unknown };
    const operation = String(request.headers['x-amz-target'] ?? '').replace(
      /^secretsmanager\./,
      '',
    );
    // Credential=<key>/<date>/<region>/<service>/aws4_request
    const signedFor = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
      request.headers.authorization ?? '',
    )?.[1];
    calls.push({ operation, secretId: body.SecretId, signedFor });
    const secretString =
      operation === 'GetSecretValue' && typeof body.SecretId === 'string'
        ? secrets[body.SecretId]
        : undefined;
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (secretString === undefined) {
      response.writeHead(400).end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        }),
      );
      return;
    }
    const arn = String(body.SecretId);
    response.writeHead(200).end(
      JSON.stringify({
        ARN: arn,
        Name: arn.split(':').at(-1),
        SecretString: secretString,
        VersionId: randomUUID(),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Math.floor(Date.now() / 1000),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve, reject) => {
        // The SDK keeps its connection alive; the test is done with it.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
