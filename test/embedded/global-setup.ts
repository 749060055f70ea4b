import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The embedded mode runs the compiled api, worker and quickstart as child processes, as
 * `npm run quickstart` does: build them first unless dist/ is newer than every source file.
 */
export default function globalSetup(): void {
  const marker = join(ROOT, 'dist/apps/quickstart/src/main.js');
  const sources = Math.max(...['apps', 'libs', 'migrations'].map((d) => newest(join(ROOT, d))));
  if (existsSync(marker) && statSync(marker).mtimeMs > sources) return;
  process.stderr.write('\nembedded tests: building dist/ (npm run build)\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
