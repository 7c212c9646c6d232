import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../src/store/table-definition.js';
import {
  onlyResource,
  type Synthesized,
  synthesize,
  synthesizeDevAndProd,
} from './support/synthesize.js';

const stacks = synthesizeDevAndProd();

const table = (s: Synthesized) => onlyResource(s.template, 'AWS::DynamoDB::Table');

describe('the messages table', () => {
  it('has the keys, GSI, stream and billing of src/store/table-definition.ts', () => {
    const local = tableDefinition('unused');
    const { Properties: p } = table(stacks.dev).resource;
    expect(p.KeySchema).toEqual(local.KeySchema);
    expect(p.AttributeDefinitions).toEqual(local.AttributeDefinitions);
    expect(p.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(p.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    // Connection items expire by it when a $disconnect never comes.
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('pins the exact keys and index (the local definition could drift too)', () => {
    const { Properties: p } = table(stacks.dev).resource;
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'message-group-sk-index',
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('lets CloudFormation name it: the functions get the name from DDB_TABLE', () => {
    expect(table(stacks.dev).resource.Properties.TableName).toBeUndefined();
    expect(table(stacks.prod).resource.Properties.TableName).toBeUndefined();
  });

  it('has point-in-time recovery in every stage', () => {
    for (const s of [stacks.dev, stacks.prod]) {
      expect(table(s).resource.Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });

  it('is deleted with a dev stack', () => {
    const { resource } = table(stacks.dev);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.UpdateReplacePolicy).toBe('Delete');
    expect(resource.Properties.DeletionProtectionEnabled).toBe(false);
  });

  it('is retained and deletion-protected in production', () => {
    const { resource } = table(stacks.prod);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('can be kept by a dev stack on request (-c retainData=true)', () => {
    const kept = synthesize({ context: { retainData: 'true' } });
    try {
      expect(table(kept).resource.DeletionPolicy).toBe('Retain');
      expect(table(kept).resource.Properties.DeletionProtectionEnabled).toBe(false);
    } finally {
      kept.cleanup();
    }
  });
});
