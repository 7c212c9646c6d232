import type { ScaleModel } from './capacity-model.js';

const n = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      })
    : 'never';

/** The model as JSON for scripts: snake_case, the fields the issue names first. */
export const toJson = (m: ScaleModel) => ({
  users: m.assumptions.users,
  dau: m.dau,
  monthly_usd: m.monthlyUsd.total,
  per_thousand_dau_usd: m.perThousandDauUsd,
  hottest_partition: {
    key: m.hottestPartition.key,
    messages_per_second: m.hottestPartition.messagesPerSecond,
    write_units_per_second: m.hottestPartition.writeUnitsPerSecond,
    limit: m.hottestPartition.limit,
    max_messages_per_second: m.hottestPartition.maxMessagesPerSecond,
  },
  first_limit: m.firstLimit
    ? { name: m.firstLimit.name, reached_at_users: m.firstLimit.reachedAtUsers }
    : null,
  monthly_usd_by_part: m.monthlyUsd,
  limits: m.limits.map((l) => ({
    name: l.name,
    peak: l.peak,
    limit: l.limit,
    share: l.share,
    reached_at_users: Number.isFinite(l.reachedAtUsers) ? l.reachedAtUsers : null,
    adjustable: l.adjustable,
  })),
  per_day: m.perDay,
  peak: m.peak,
  stream: m.stream,
  storage_gb: m.storageGb,
  unit_costs: m.unitCosts,
  assumptions: m.assumptions,
});

/** The model as a readable report. */
export const toTable = (m: ScaleModel): string => {
  const a = m.assumptions;
  const lines = [
    `${n(a.users)} users, ${n(m.dau)} active a day (${a.dauShare}), ${a.messagesPerUser} messages each; ` +
      `peak ${a.peakToAverage}× the average; hot inbox ${a.hotInboxShare * 100}% of the peak's messages`,
    '',
    '| part | per day | busiest second |',
    '|---|---|---|',
    `| messages | ${n(m.perDay.messages)} | ${n(m.peak.messagesPerSecond, 1)} |`,
    `| HTTP API requests | ${n(m.perDay.httpRequests)} | ${n(m.peak.httpRequestsPerSecond, 1)} |`,
    `| DynamoDB read units | ${n(m.perDay.readUnits)} | ${n(m.peak.readUnitsPerSecond, 1)} |`,
    `| DynamoDB write units | ${n(m.perDay.writeUnits)} | ${n(m.peak.writeUnitsPerSecond, 1)} |`,
    `| stream records (filtered in) | ${n(m.perDay.streamRecords)} | ${n(m.stream.recordsPerShardPerSecond, 2)} a shard, ${n(m.stream.shards)} shards |`,
    `| stream batches (Lambda invocations) | ${n(m.perDay.streamBatches)} | ${n(m.stream.batchesPerSecond, 1)} |`,
    `| WebSocket posts / pings in | ${n(m.perDay.pushPosts)} / ${n(m.perDay.webSocketMessagesIn)} | |`,
    `| WebSocket connections opened | ${n(m.perDay.connections)} | ${n(m.peak.newConnectionsPerSecond, 1)} |`,
    '',
    '| monthly bill | USD |',
    '|---|---|',
    ...Object.entries(m.monthlyUsd)
      .filter(([k]) => k !== 'total')
      .map(([k, v]) => `| ${k.replaceAll('_', ' ')} | ${n(v, 2)} |`),
    `| **total** | **${n(m.monthlyUsd.total, 2)}** |`,
    `| per 1,000 active users | ${n(m.perThousandDauUsd, 2)} |`,
    '',
    `hottest partition: ${m.hottestPartition.key} at ${n(m.hottestPartition.writeUnitsPerSecond, 1)} ` +
      `write units/s against ${n(m.hottestPartition.limit)} (${n(m.hottestPartition.messagesPerSecond, 1)} messages/s; ` +
      `it throttles beyond ${n(m.hottestPartition.maxMessagesPerSecond)} messages/s)`,
    '',
    '| limit | at the peak | quota | used | reached at users |',
    '|---|---|---|---|---|',
    ...m.limits.map(
      (l) =>
        `| ${l.name}${l.adjustable ? '' : ' (fixed)'} | ${n(l.peak, 1)} | ${n(l.limit)} | ${n(l.share * 100, 1)}% | ${n(l.reachedAtUsers)} |`,
    ),
  ];
  return lines.join('\n');
};
