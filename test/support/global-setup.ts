import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';

/** One in-memory DynamoDB Local for the whole run; each test file makes its own table. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startDynamoDbLocal({ storage: { inMemory: true } });
  project.provide('dynamoEndpoint', local.endpoint);
  return () => local.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
