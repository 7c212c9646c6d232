import { loadDatabaseConfig } from '../config.js';
import { connectDynamo } from '../store/clients.js';
import { DynamoTable } from '../store/dynamo-table.js';
import { createStreamHandler } from './handler.js';

/**
 * The deployed stream function: the table comes from the environment (DDB_TABLE), the
 * client from the Lambda's role and region. Built once per container, reused per batch.
 */
const { tableName } = loadDatabaseConfig({ ...process.env, DDB_TARGET: 'aws' });
const table = new DynamoTable(connectDynamo({}).doc, { tableName });

export const handler = createStreamHandler({ table });
