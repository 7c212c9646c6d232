import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface ManagementPost {
  method: string;
  /** The raw request path: connection ids are URL-encoded in it. */
  path: string;
  body: string;
}

/**
 * API Gateway's Management API, as far as pushing goes, for the current test: records every
 * request and answers 200, or 410 GoneException for the connection ids in `gone`. Its
 * endpoint carries the stage's path, as on AWS: https://{apiId}.execute-api.{region}.amazonaws.com/realtime
 */
export const managementApiStandIn = async (gone: string[] = []) => {
  const posts: ManagementPost[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      posts.push({ method: request.method ?? '', path, body: Buffer.concat(chunks).toString() });
      const id = decodeURIComponent(path.split('/@connections/')[1] ?? '');
      if (gone.includes(id)) {
        response.writeHead(410, { 'x-amzn-ErrorType': 'GoneException' });
        response.end('{"message":null}');
      } else response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { posts, endpoint: `http://127.0.0.1:${port}/realtime` };
};
