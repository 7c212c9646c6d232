// Runs before `npm start` and `npm test` (npm's pre-scripts), with nothing but Node: on a
// fresh clone, or after package-lock.json changed, it installs the locked dependencies, so
// that the README's two commands are all the set-up there is.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

const installed = mtime('node_modules/.package-lock.json');
const locked = mtime('package-lock.json');
if (installed === undefined || (locked !== undefined && locked > installed)) {
  console.log('Installing dependencies (npm ci)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
