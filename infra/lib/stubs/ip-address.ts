/**
 * The `ip-address` package as the API function's main bundle has it (esbuild's alias, see
 * api.ts): @fastify/rate-limit requires it at load for its default key, a client's IPv6
 * address and subnet, but the API's send limit is keyed by user (src/api/app.ts gives the
 * plugin its keyGenerator, and the one rate-limited route keeps it), so the plugin never calls
 * it: 33 KB that every cold start compiled for nothing.
 */
export class Address6 {
  constructor() {
    throw new Error(
      'ip-address is not in the API bundle: the rate limit is keyed by user, never by address',
    );
  }
}

export default { Address6 };
