/**
 * AWS's default quotas the model checks, with where they are written (read 2026-12-02).
 * "Adjustable" ones can be raised by a Service Quotas request; the partition limits cannot.
 */
export const QUOTAS = {
  partitionWriteUnitsPerSecond: {
    value: 1_000,
    adjustable: false,
    source:
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  },
  partitionReadUnitsPerSecond: {
    value: 3_000,
    adjustable: false,
    source:
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  },
  tableWriteUnitsPerSecond: {
    value: 40_000,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  },
  tableReadUnitsPerSecond: {
    value: 40_000,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  },
  apiGatewayRequestsPerSecond: {
    value: 10_000,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  webSocketNewConnectionsPerSecond: {
    value: 500,
    adjustable: true,
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html',
  },
  lambdaConcurrentExecutions: {
    value: 1_000,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  },
} as const;

/** Lambda's limits on a DynamoDB stream mapping (services-ddb-params.html). */
export const STREAM_MAPPING_LIMITS = {
  maxParallelizationFactor: 10,
  maxBatchSize: 10_000,
  maxBatchingWindowSeconds: 300,
} as const;

/** Storage per partition that makes DynamoDB split it (HowItWorks.Partitions.html). */
export const PARTITION_GB = 10;
