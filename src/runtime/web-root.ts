import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built web app's folder, if `npm run build` has made it. */
export const builtWebApp = (): string | undefined => {
  const root = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(`${root}/index.html`) ? root : undefined;
};
