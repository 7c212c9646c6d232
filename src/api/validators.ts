import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const options = {
  useDefaults: true,
  removeAdditional: false,
  strict: false,
  allErrors: false,
} as const;

/**
 * The two Ajv instances, made on the first schema compiled rather than as this module loads:
 * a Lambda cold start whose first request validates nothing (GET /api/config) never makes
 * them (src/api/lazy-schemas.ts compiles each route's validator on its first request).
 */
let instances: { coercing: Ajv; exact: Ajv } | undefined;
const ajvs = () =>
  (instances ??= {
    /** Query strings and path parameters arrive as text: coerce "20" to 20. */
    coercing: addFormats(new Ajv({ ...options, coerceTypes: true })),
    /** JSON bodies have types of their own: `"message": 123` is an error, never "123". */
    exact: addFormats(new Ajv({ ...options, coerceTypes: false })),
  });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const { coercing, exact } = ajvs();
  return (httpPart === 'body' ? exact : coercing).compile(schema) as ReturnType<
    FastifySchemaCompiler<object>
  >;
};
