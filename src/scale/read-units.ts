/**
 * DynamoDB's read rule (the cost model has only the write side): 1 read unit per 4 KB for a
 * strongly consistent read, half that eventually consistent; a Query rounds the total of the
 * items it read up once, and a read of nothing still costs the minimum.
 */
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
