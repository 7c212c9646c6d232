import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { validatorCompiler } from './validators.js';

/**
 * Schema compilers that compile a route's schema on the route's first request instead of at
 * start. A Lambda container is built for its first request and often answers only a few
 * routes before it is frozen: compiling the validators (ajv) and serializers
 * (fast-json-stringify) of every route up front was most of the cold start's first answer
 * (about 250 ms of ~330 ms, measured with --cpu-prof on the bundle; docs/performance.md).
 * `npm start` and the tests keep compiling eagerly, so a broken schema still fails at start.
 */

type Validator = ReturnType<FastifySchemaCompiler<object>>;

/** `compile`, deferred to the first validation; Fastify reads `.errors` after a failed one. */
export const lazyValidatorCompiler =
  (compile: FastifySchemaCompiler<object>): FastifySchemaCompiler<object> =>
  (route) => {
    let validate: Validator | undefined;
    const lazy = ((data: unknown) => {
      validate ??= compile(route);
      return validate(data);
    }) as Validator;
    Object.defineProperty(lazy, 'errors', {
      get: () => (validate as { errors?: unknown } | undefined)?.errors,
    });
    return lazy;
  };

type BuildSerializer = ReturnType<typeof SerializerSelector>;

/** Fastify's own serializer factory (fast-json-stringify), each serializer built on first use. */
const lazySerializers: BuildSerializer = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data) => {
      serialize ??= compile(route);
      return serialize(data);
    };
  };
};

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/**
 * The lazy route validators as a compiler factory, the one app.ts also installs with
 * setValidatorCompiler. Fastify's type for it is the ajv compiler's, whose route definition is
 * narrower than the one a FastifySchemaCompiler takes: the same call at runtime.
 */
const lazyValidators = (() =>
  lazyValidatorCompiler(validatorCompiler)) as unknown as CompilersFactory['buildValidator'];

/**
 * Fastify options that make every route's serializer lazy (validators: see above), and that name
 * the validator compiler from the start: given one, Fastify never loads its default
 * (@fastify/ajv-compiler), which the Lambda bundle leaves out.
 */
export const lazySerializerOptions: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: {
    compilersFactory: { buildSerializer: lazySerializers, buildValidator: lazyValidators },
  },
};
