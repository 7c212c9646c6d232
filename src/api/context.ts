import type { CostLedger } from '../costs/cost-ledger.js';
import type { Messaging } from '../messaging/messaging.js';
import type { User } from '../messaging/model.js';
import type { InspectorFeed } from '../push/inspector-feed.js';
import type { TokenVerifier } from './auth/identity.js';
import type { LocalIssuer } from './auth/local-issuer.js';

/** What the routes need; built once by whoever starts the API (server, Lambda, tests). */
export interface ApiContext {
  messaging: Messaging;
  verifier: TokenVerifier;
  /** `local`: the dev issuer and its routes exist; `cognito`: first-seen users are created. */
  authMode: 'local' | 'cognito';
  localIssuer?: LocalIssuer | undefined;
  /** True when DynamoDB answers. */
  checkHealth: () => Promise<boolean>;
  /** The web app's origin, the only one CORS allows. */
  webOrigin: string;
  /** Sends per minute per user; 0 turns the limit off. */
  sendRateLimit: number;
  /**
   * The realtime WebSocket's URL for a request to `host` (`GET /api/config`): the local
   * gateway on the same port under `npm start`, the stage URL the stack gives on AWS.
   */
  realtimeUrl?: ((host: string | undefined) => string) | undefined;
  /** Cognito mode: where the web app sends people to sign in (authorization code + PKCE). */
  hostedSignIn?: { domain: string; clientId: string } | undefined;
  /** Local mode only: the table as it is, for people learning the design. */
  inspector?: Inspector | undefined;
}

export interface Inspector {
  feed: InspectorFeed;
  /** What each action cost in DynamoDB, recorded while the inspector watches. */
  costs: CostLedger;
  tableItems(): Promise<Record<string, unknown>[]>;
  indexItems(): Promise<Record<string, unknown>[]>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every protected route. */
    user: User;
  }
}
