import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { messagePartition } from '../../src/messaging/keys.js';
import type { User } from '../../src/messaging/model.js';
import { getPairRequest } from '../../src/messaging/requests/messages.js';

/** What one write phase acknowledged against what the table holds afterwards. */
export interface IntegrityRow {
  phase: string;
  acknowledged: number;
  stored: number;
  duplicates: number;
  /** Requests answered with an error (none, normally): written, perhaps; a client sends them again. */
  unconfirmed: number;
}

/** D phases: every acknowledged client_message_id is stored exactly once (in `groups`). */
export const countClientIds = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  groups: string[],
  phase: { name: string; statuses: Record<string, number>; sentIds: string[] },
): Promise<IntegrityRow> => {
  const prefix = phase.sentIds[0]?.split('-')[0] ?? 'none';
  let stored = 0;
  let duplicates = 0;
  const seen = new Set<unknown>();
  for (const group of groups) {
    const pages = paginateQuery(
      { client: doc },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'begins_with(client_message_id, :prefix)',
        ExpressionAttributeValues: { ':pk': messagePartition(group), ':prefix': `${prefix}-` },
        ProjectionExpression: 'client_message_id',
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        stored++;
        if (seen.has(item.client_message_id)) duplicates++;
        seen.add(item.client_message_id);
      }
    }
  }
  return row(phase, stored, duplicates);
};

/** C phases: every acknowledged first message made exactly one conversation. */
export const countPairs = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  pairs: [User, User][],
  phase: { name: string; statuses: Record<string, number> },
): Promise<IntegrityRow> => {
  let stored = 0;
  for (const [a, b] of pairs) {
    const pair = await doc.send(new GetCommand(getPairRequest(tableName, a.uuid, b.uuid)));
    if (pair.Item) stored++;
  }
  return row(phase, stored, 0);
};

const row = (
  phase: { name: string; statuses: Record<string, number> },
  stored: number,
  duplicates: number,
): IntegrityRow => {
  const acknowledged = phase.statuses['201'] ?? 0;
  const answered = Object.values(phase.statuses).reduce((sum, count) => sum + count, 0);
  return {
    phase: phase.name,
    acknowledged,
    stored,
    duplicates,
    unconfirmed: answered - acknowledged,
  };
};

/**
 * The phases that lost or duplicated something. Every request of a run is answered before it
 * ends, so stored equals acknowledged, unless some were answered with an error: those may
 * have been written or not. Fewer than acknowledged is a loss.
 */
export const integrityFailures = (rows: IntegrityRow[]): IntegrityRow[] =>
  rows.filter(
    (r) =>
      r.stored < r.acknowledged || r.stored > r.acknowledged + r.unconfirmed || r.duplicates > 0,
  );
