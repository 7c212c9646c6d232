import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Cause, runWithin } from '../costs/attribution.js';
import type { CostLedger } from '../costs/cost-ledger.js';

interface Tracked {
  cause: Cause;
  /** The cause's async context, to re-enter where Fastify leaves it. */
  scope: AsyncResource;
}

/**
 * Makes each HTTP request one cause of the cost ledger: its route and method name the entry,
 * and every DynamoDB request made while it is handled joins it. Added by app.ts before any
 * route, so that its hooks reach every route. The inspector's own routes run under the
 * ledger's ignored cause: its Scans are the tool's, not the app's.
 *
 * The cause is entered in onRequest and entered again in preValidation: Fastify runs the
 * handler from the request body's 'end' event, in an async context of its own, so a store
 * entered in onRequest alone would be lost on a POST (the way @fastify/request-context does
 * it, without taking a dependency for twenty lines).
 */
export const attributeRequestCosts = (app: FastifyInstance, ledger: CostLedger): void => {
  const tracked = new WeakMap<FastifyRequest, Tracked>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const cause = route?.startsWith('/api/inspect/')
      ? ledger.ignoring()
      : ledger.open({ source: `${request.method} ${route ?? request.url.split('?')[0]}` });
    if (!cause) return done();
    runWithin(cause, () => {
      const scope = new AsyncResource('cost-ledger');
      tracked.set(request, { cause, scope });
      scope.runInAsyncScope(done, undefined);
    });
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const entry = tracked.get(request);
    if (!entry) return done();
    entry.scope.runInAsyncScope(done, undefined);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    const entry = tracked.get(request);
    if (entry) ledger.close(entry.cause);
    done();
  });
};
