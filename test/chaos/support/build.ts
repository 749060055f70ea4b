import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
/**
 * The chaos suite's own build of apps/ and libs/ (what `npm run build` makes, in another directory):
 * other shells may rebuild dist/ while child processes of a scenario are loading from it.
 * Under node_modules so that the compiled files still resolve the project's dependencies.
 */
export const CHAOS_DIST = join(ROOT, 'node_modules/.cache/skills-ledger-chaos-dist');
const STAMP = join(CHAOS_DIST, '.built');

export const apiMain = () => join(CHAOS_DIST, 'apps/api/src/main.js');
export const workerMain = () => join(CHAOS_DIST, 'apps/worker/src/main.js');
export const cliMain = () => join(CHAOS_DIST, 'apps/cli/src/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles the apps unless the last chaos build is newer than every source file. */
export function ensureBuilt(): { built: boolean; ms: number } {
  const started = Date.now();
  const sources = Math.max(...['apps', 'libs', 'migrations', 'tsconfig.json'].map((p) => sourceTime(p)));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs > sources && existsSync(apiMain())) {
    return { built: false, ms: 0 };
  }
  const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: ROOT, stdio: 'pipe' });
  try {
    run(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', CHAOS_DIST]);
  } catch (error) {
    // Type errors still emit JavaScript; `npm run lint` is where they fail the build. A missing entry
    // point is a real failure.
    if (!existsSync(apiMain()) || !existsSync(workerMain())) throw error;
    const out = String((error as { stdout?: Buffer }).stdout ?? '');
    console.warn(`chaos build: tsc reported errors, using what it emitted:\n${out.slice(0, 2000)}`);
  }
  run(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', CHAOS_DIST]);
  writeFileSync(STAMP, new Date().toISOString());
  return { built: true, ms: Date.now() - started };
}

function sourceTime(relative: string): number {
  const path = join(ROOT, relative);
  if (!existsSync(path)) return 0;
  return statSync(path).isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
}
