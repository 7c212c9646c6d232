import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestCost } from './cost-schemas.js';

/** What caused DynamoDB requests: a browser's request, a stream batch, a WebSocket event. */
export interface CostSource {
  /** `POST /api/messages`, `stream batch`, `WebSocket $connect`. */
  source: string;
  /** A stream batch's record count. */
  records?: number;
}

/**
 * One cause being recorded: the requests made on its behalf, gathered into one ledger entry
 * when it ends. `owner` is the ledger that opened it: a request on another ledger's client
 * (two APIs in one test process) is not this cause's.
 */
export interface Cause extends CostSource {
  readonly owner: object;
  readonly at: Date;
  readonly requests: RequestCost[];
  /** The inspector's own reads: not the app's, and they would swamp every total. */
  readonly ignored: boolean;
  ended: boolean;
}

const current = new AsyncLocalStorage<Cause>();

/**
 * The cause of the code running now. AsyncLocalStorage follows it across awaits, timers and
 * the SDK's own promises, so no function between the route and the DynamoDB client has to
 * pass it along.
 */
export const currentCause = (): Cause | undefined => current.getStore();

export const runWithin = <T>(cause: Cause, fn: () => T): T => current.run(cause, fn);
