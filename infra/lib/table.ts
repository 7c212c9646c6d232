import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { MESSAGE_GROUP_INDEX, TTL_ATTRIBUTE } from '../../src/store/table-definition.js';

export interface MessagesTableProps {
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

/**
 * The single table of src/store/table-definition.ts, declared for CloudFormation: string keys
 * pk/sk, on-demand, a stream with new and old images (pattern E reads the new image), and the
 * sparse GSI over group rows. CloudFormation names the table; functions get the name from
 * their environment (DDB_TABLE), so two stages never collide and nothing is hard-coded.
 */
export class MessagesTable extends Construct {
  readonly table: dynamodb.Table;
  /** The GSI's ARN, for IAM statements that allow queries on the index only. */
  readonly messageGroupIndexArn: string;

  constructor(scope: Construct, id: string, props: MessagesTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: MESSAGE_GROUP_INDEX,
      partitionKey: { name: 'message_group_uuid', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.messageGroupIndexArn = `${this.table.tableArn}/index/${MESSAGE_GROUP_INDEX}`;
  }
}
