import { fileURLToPath } from 'node:url';

/**
 * Absolute paths into the repository, found from this file rather than the working
 * directory: the app synthesizes the same whether `cdk` runs from the root or from infra/.
 */
const fromRepoRoot = (path: string): string =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const REPO_ROOT = fromRepoRoot('.');
export const LOCK_FILE = fromRepoRoot('package-lock.json');
export const STREAM_ENTRY = fromRepoRoot('src/stream/lambda.ts');
export const REALTIME_ENTRY = fromRepoRoot('src/realtime/lambda.ts');
export const API_ENTRY = fromRepoRoot('src/api/lambda.ts');
export const SWAGGER_UI_STATIC_DIR = fromRepoRoot('node_modules/@fastify/swagger-ui/static');
export const WEB_DIST_DIR = fromRepoRoot('web/dist');
