import type { ItemKey } from '../keys.js';
import type { TransactItem } from '../table-port.js';

/** Every create in this design is conditional: a Put never replaces an item by accident. */
export const putNew = <T extends ItemKey>(tableName: string, item: T): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...item },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
