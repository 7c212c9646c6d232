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
/** Query strings and path parameters arrive as text: coerce "20" to 20. */
const coercing = addFormats(new Ajv({ ...options, coerceTypes: true }));
/** JSON bodies have types of their own: `"message": 123` is an error, never "123". */
const exact = addFormats(new Ajv({ ...options, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? exact : coercing).compile(schema) as ReturnType<
    FastifySchemaCompiler<object>
  >;
