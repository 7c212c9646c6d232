// Cognito's JWKS endpoint, for a Lambda bundle run offline: loaded before the bundle with
// `node --import` (startBundleSession's `preload`), it answers GET of the one URL
// COGNITO_JWKS_STAND_IN_URL (the pool's, as aws-jwt-verify derives it from the issuer:
// https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json) with the JSON of
// COGNITO_JWKS_STAND_IN_JWKS, and hands every other request to Node's own `https.request`.
// The bundle is left as deployed: aws-jwt-verify in it imports `request` from "https" and so
// calls the replacement, which syncBuiltinESMExports makes that named export too.
// Each answered request appends its URL as a line to COGNITO_JWKS_STAND_IN_LOG (synchronously,
// before the answer), so that a test can tell that the keys a token was checked with came
// from here.
import { appendFileSync } from 'node:fs';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { Readable, Writable } from 'node:stream';

const {
  COGNITO_JWKS_STAND_IN_URL: url,
  COGNITO_JWKS_STAND_IN_JWKS: jwks,
  COGNITO_JWKS_STAND_IN_LOG: log,
} = process.env;
if (!url || !jwks || !log) {
  const needed =
    'COGNITO_JWKS_STAND_IN_URL, COGNITO_JWKS_STAND_IN_JWKS and COGNITO_JWKS_STAND_IN_LOG';
  throw new Error(`cognito-jwks-stand-in.mjs needs ${needed}`);
}
const jwksUrl = new URL(url).href;
const body = Buffer.from(JSON.stringify(JSON.parse(jwks)));

/** The URL a `request(url[, options][, callback])` or `request(options[, callback])` asks for. */
const targetOf = (args) => {
  const [first] = args;
  if (typeof first === 'string' || first instanceof URL) return new URL(first).href;
  const options = first ?? {};
  const host = options.hostname ?? options.host ?? 'localhost';
  const port = options.port && Number(options.port) !== 443 ? `:${options.port}` : '';
  return new URL(`https://${host}${port}${options.path ?? '/'}`).href;
};

const methodOf = (args) => {
  const options = args.find((arg) => arg && typeof arg === 'object' && !(arg instanceof URL));
  return (options?.method ?? 'GET').toUpperCase();
};

/** What a ClientRequest is to its caller here: writable, ended, then a 200 with the JWKS. */
const answer = (args) => {
  const callback = args.find((arg) => typeof arg === 'function');
  appendFileSync(log, `${jwksUrl}\n`);
  const request = new Writable({
    // Destroyed only by its caller (a time-out): then it answers nothing, as a real one.
    autoDestroy: false,
    write: (_chunk, _encoding, done) => done(),
    final: (done) => {
      done();
      setImmediate(() => {
        if (request.destroyed) return;
        const response = Readable.from([body], { objectMode: false });
        response.statusCode = 200;
        response.statusMessage = 'OK';
        response.headers = {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(body.length),
        };
        if (callback) request.once('response', callback);
        request.emit('response', response);
      });
    },
  });
  request.setTimeout = () => request;
  return request;
};

const originalRequest = https.request;
const originalGet = https.get;
const isJwks = (args) => methodOf(args) === 'GET' && targetOf(args) === jwksUrl;

https.request = function request(...args) {
  return isJwks(args) ? answer(args) : originalRequest.apply(this, args);
};
https.get = function get(...args) {
  if (!isJwks(args)) return originalGet.apply(this, args);
  const request = answer(args);
  request.end();
  return request;
};
syncBuiltinESMExports();
