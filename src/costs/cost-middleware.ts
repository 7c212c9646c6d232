import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { currentCause } from './attribution.js';
import type { CostLedger } from './cost-ledger.js';
import { isMetered, operationOf, requestCost } from './request-cost.js';

/** The SDK's InitializeMiddleware, as much of it as this one uses (its types are the SDK's internals). */
type Handler = (args: { input: object }) => Promise<{ output: object }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

const NAME = 'costLedger';
const ledgers = new WeakMap<DynamoDBClient, CostLedger>();

/**
 * The SDK middleware that records each DynamoDB request in `ledger`. It sits at the
 * initialize step of the client's stack, which the document client shares: it sees the
 * document client's input (plain values, so the cost model can size the items) and its
 * output, once per call however often the SDK retried. With nobody watching it is one field
 * read and a call through.
 */
export const costMiddleware =
  (ledger: CostLedger): Middleware =>
  (next, context) =>
  async (args) => {
    if (!ledger.recording) return next(args);
    const operation = operationOf(context.commandName);
    if (!isMetered(operation)) return next(args);
    const cause = currentCause();
    const input = args.input as Record<string, unknown>;
    // Reads: DynamoDB's own figure, asked for unless the caller asked already.
    const sent =
      input.ReturnConsumedCapacity === undefined && !operation.includes('Write')
        ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
        : args;
    try {
      const result = await next(sent);
      ledger.record(requestCost(operation, input, { output: result.output as never }), cause);
      return result;
    } catch (error) {
      ledger.record(requestCost(operation, input, { error }), cause);
      throw error;
    }
  };

/** Meters `client`'s requests (and its document client's) into `ledger`. */
export const meterCosts = (client: DynamoDBClient, ledger: CostLedger): void => {
  client.middlewareStack.add(costMiddleware(ledger) as never, {
    step: 'initialize',
    name: NAME,
    override: true,
  });
  ledgers.set(client, ledger);
};

/**
 * The ledger metering `client`, if any: the stream consumer and the realtime gateway, given
 * the connection the API meters, attribute their requests to their batches and events.
 */
export const ledgerOf = (client: DynamoDBClient): CostLedger | undefined => ledgers.get(client);
