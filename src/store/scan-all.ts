import {
  type DynamoDBDocumentClient,
  paginateScan,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Scan reaches, page after page (one page stops at 1 MB), up to `maxItems`.
 * For tools and checks (inspector, invariant checks, tests); no access pattern scans.
 */
export const scanAll = async (
  doc: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
  maxItems = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: doc }, input)) {
    items.push(...(page.Items ?? []));
    if (items.length >= maxItems) break;
  }
  return items;
};
