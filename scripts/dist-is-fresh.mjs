// Exit 0 when dist/ was built after the last change to anything the build reads, so a rerun of the
// quickstart (or the embedded tests) need not spend half a minute rebuilding the same output.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const newest = (path) => {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};
const built = join(root, 'dist/apps/quickstart/src/main.js');
const inputs = ['apps', 'libs', 'migrations', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']
  .map((name) => join(root, name))
  .filter((path) => existsSync(path));
process.exit(existsSync(built) && statSync(built).mtimeMs > Math.max(...inputs.map(newest)) ? 0 : 1);
