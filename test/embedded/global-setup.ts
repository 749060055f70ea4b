import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * The embedded mode runs the compiled api, worker, quickstart and command-line tool as child processes,
 * as `npm run quickstart` does: build them first unless dist/ is newer than every source file (the
 * quickstart's own rule, scripts/dist-is-fresh.mjs).
 */
export default function globalSetup(): void {
  try {
    execFileSync(process.execPath, [resolve(ROOT, 'scripts/dist-is-fresh.mjs')], { stdio: 'ignore' });
    return;
  } catch {
    process.stderr.write('\nembedded tests: building dist/ (npm run build)\n');
  }
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
