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
type Schema = Record<string | symbol, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** The schema's own keywords (TypeBox's symbols aside). */
const keywordsOf = (schema: Schema) => Object.keys(schema);
const isJustType = (schema: unknown, type: string) =>
  isSchema(schema) && schema.type === type && keywordsOf(schema).length === 1;

/**
 * `schema` as fast-json-stringify is given it for a response: each `anyOf: [{type: 'string'},
 * {type: 'null'}]` (TypeBox's `Type.Union([Type.String(), Type.Null()])`) becomes `{type:
 * 'string', nullable: true}`, the rest unchanged (and not copied). The same JSON for every
 * string and for null (a handler's types allow nothing else there; a value of another type,
 * which the anyOf refused with a 500, would be written as a string); but for an anyOf,
 * fast-json-stringify builds an Ajv instance (with its formats) and compiles a validator for
 * each branch to choose one: about 55 M instructions of a Lambda cold start's first answer
 * (GET /api/config's `realtime_url`), 7% of the cold start. A string with a format keeps its
 * anyOf, whose validator checks the format. Only serializers see this: the route's schema,
 * which the OpenAPI document shows, keeps its anyOf.
 */
export const withNullableStrings = (schema: unknown): unknown => {
  if (Array.isArray(schema)) {
    const items = schema.map(withNullableStrings);
    return items.some((item, index) => item !== schema[index]) ? items : schema;
  }
  if (!isSchema(schema)) return schema;
  const { anyOf } = schema;
  if (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    schema.type === undefined &&
    schema.nullable === undefined &&
    anyOf.some((branch) => isJustType(branch, 'string')) &&
    anyOf.some((branch) => isJustType(branch, 'null'))
  ) {
    const { anyOf: _, ...rest } = schema;
    return { ...rest, type: 'string', nullable: true };
  }
  let copy: Schema | undefined;
  for (const key of ['properties', 'patternProperties'] as const) {
    const map = schema[key];
    if (!isSchema(map)) continue;
    let mapCopy: Schema | undefined;
    for (const name of keywordsOf(map)) {
      const next = withNullableStrings(map[name]);
      if (next !== map[name]) {
        mapCopy ??= { ...map };
        mapCopy[name] = next;
      }
    }
    if (mapCopy) {
      copy ??= { ...schema };
      copy[key] = mapCopy;
    }
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf'] as const) {
    const next = withNullableStrings(schema[key]);
    if (next !== schema[key]) {
      copy ??= { ...schema };
      copy[key] = next;
    }
  }
  return copy ?? schema;
};

/** Fastify's own serializer factory (fast-json-stringify), given withNullableStrings' schemas. */
const serializers: BuildSerializer = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => compile({ ...route, schema: withNullableStrings(route.schema) as object });
};

/** The same, each serializer built on first use. */
const lazySerializers: BuildSerializer = (externalSchemas, options) => {
  const compile = serializers(externalSchemas, options);
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
 * Fastify options for the schema compilers. Serializers: Fastify's own, given the schemas of
 * withNullableStrings, built at start or (`lazy`) on first use. With `lazy`, also every route's
 * validator (see above), and naming the validator compiler from the start: given one, Fastify
 * never loads its default (@fastify/ajv-compiler), which the Lambda bundle leaves out.
 */
export const schemaCompilerOptions = (
  lazy: boolean,
): Pick<FastifyServerOptions, 'schemaController'> => ({
  schemaController: {
    compilersFactory: lazy
      ? { buildSerializer: lazySerializers, buildValidator: lazyValidators }
      : { buildSerializer: serializers },
  },
});
