import { describe, expect, it } from 'vitest';
import { scaleModel } from '../../src/scale/capacity-model.js';
import type { UnitCosts } from '../../src/scale/unit-costs.js';

/** Round numbers, so that every figure below can be checked by hand. */
const COSTS: UnitCosts = {
  send: { read: 1, write: 2 },
  advance: { read: 1, write: 12 },
  advanceCrossing: { read: 0.5, write: 2 },
  markRead: { read: 1.5, write: 5 },
  listMessages: { read: 2, write: 0 },
  listGroups: { read: 1.5, write: 0 },
  listConnections: { read: 0.5, write: 0 },
  connection: { read: 0, write: 2 },
  advanceOnOwnerPartition: 4,
  markOnOwnerPartition: 2,
  messageBytes: 800,
};

/** 1,000 users, half active, 10 messages each; no reads, marks, sessions or connections. */
const SMALL = {
  users: 1_000,
  dauShare: 0.5,
  messagesPerUser: 10,
  hotInboxShare: 0.5,
  peakToAverage: 3,
  readMarkShare: 0,
  sessionsPerDay: 0,
  connectionsPerUser: 0,
  retentionMonths: 1,
};

describe('the scale model', () => {
  it('adds up DynamoDB units and dollars per message', () => {
    const m = scaleModel(SMALL, COSTS);
    expect(m.perDay.messages).toBe(5_000);
    // Per message: send 1 + E 1 + two connection Queries 0.5 = 3 RCU; send 2 + E 12 = 14 WCU.
    expect(m.perDay.readUnits).toBe(15_000);
    expect(m.perDay.writeUnits).toBe(70_000);
    // (70,000 × $0.625 + 15,000 × $0.125) per million, 30 days.
    expect(m.monthlyUsd.dynamodb_requests).toBeCloseTo(30 * (0.04375 + 0.001875), 10);
    // 5,000 × 30 messages of 800 + 2 × 100 bytes, at $0.25 per GB-month.
    expect(m.storageGb).toBeCloseTo(0.15, 10);
    expect(m.monthlyUsd.dynamodb_storage).toBeCloseTo(0.0375, 10);
    expect(m.perThousandDauUsd).toBeCloseTo(m.monthlyUsd.total / 0.5, 10);
  });

  it('puts the hot inbox at its share of the busiest second, 4 WCU a message on its partition', () => {
    const m = scaleModel(SMALL, COSTS);
    const peak = (5_000 / 86_400) * 3;
    expect(m.hottestPartition.messagesPerSecond).toBeCloseTo(peak * 0.5, 10);
    expect(m.hottestPartition.writeUnitsPerSecond).toBeCloseTo(peak * 0.5 * 4, 10);
    expect(m.hottestPartition.limit).toBe(1_000);
    expect(m.hottestPartition.maxMessagesPerSecond).toBe(250);
    // Read marks by the owner take 2 more from its partition each.
    expect(
      scaleModel({ ...SMALL, readMarkShare: 0.5 }, COSTS).hottestPartition.maxMessagesPerSecond,
    ).toBe(200);
  });

  it('says at how many users each limit is reached, in growing order', () => {
    const m = scaleModel(SMALL, COSTS);
    const hot = m.limits.find((l) => l.name.startsWith('hot inbox'));
    const used = (5_000 / 86_400) * 3 * 0.5 * 4;
    expect(hot?.reachedAtUsers).toBeCloseTo((1_000 * 1_000) / used, 6);
    const reached = m.limits.map((l) => l.reachedAtUsers);
    expect(reached).toEqual([...reached].sort((a, b) => a - b));
    expect(m.firstLimit).toBe(m.limits[0]);
  });

  it('grows linearly with users, per thousand active users constant', () => {
    const small = scaleModel({ users: 10_000 });
    const large = scaleModel({ users: 1_000_000 });
    expect(large.perDay.writeUnits).toBeCloseTo(100 * small.perDay.writeUnits, 6);
    expect(large.monthlyUsd.dynamodb_requests).toBeCloseTo(
      100 * small.monthlyUsd.dynamodb_requests,
      6,
    );
  });
});
