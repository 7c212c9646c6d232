/**
 * The `yaml` package as the API function's main bundle has it (esbuild's alias, see api.ts):
 * @fastify/swagger requires it when the API registers it, but the API never asks it for YAML.
 * The one YAML answer, /api/docs/yaml, comes from the docs page, a bundle of its own with the
 * real package: 120 KB that every cold start compiled for nothing.
 */
const notBundled = (): never => {
  throw new Error('yaml is not in the API bundle: only the docs page bundle (docs-page.js) has it');
};

export const parse = notBundled;
export const stringify = notBundled;
export default { parse, stringify };
