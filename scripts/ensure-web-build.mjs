// Runs before `npm start`: builds the web app when web/dist is missing or older than any of
// its sources, so a fresh clone (or a pull) serves the current UI without a separate step.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (path) => {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};

const sources = Math.max(
  newest('web/src'),
  newest('web/index.html'),
  newest('web/public'),
  newest('web/vite.config.ts'),
  newest('package-lock.json'),
);
const built = newest('web/dist/index.html');
if (sources > 0 && built < sources) {
  console.log('Building the web app (vite build)...');
  const result = spawnSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
