import { stringAttribute } from './group-items';
import type { TableItem } from './inspector-api';

/** An item's primary key as one string: pk and sk identify an item in the table. */
export const itemKey = (pk: string | undefined, sk: string | undefined): string =>
  `${pk ?? ''}\u0000${sk ?? ''}`;

export const keyOfItem = (item: TableItem): string =>
  itemKey(stringAttribute(item, 'pk'), stringAttribute(item, 'sk'));
