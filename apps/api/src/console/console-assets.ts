import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

/**
 * Beside this file in both layouts: ts-jest runs it from apps/api/src/console, and `npm run build` copies
 * the assets next to the compiled file in dist/. The repository path is a last resort for a dist/ built
 * without the copy step.
 */
export function assetsDirectory(): string {
  const candidates = [join(__dirname, 'assets'), resolve(process.cwd(), 'apps/api/src/console/assets')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`web console assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Every asset is read once at start and served from memory by its relative path. Only files that were
 * there at start can be asked for, so no request path ever reaches the file system.
 */
export function loadAssets(root = assetsDirectory()): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
      if (!contentType) continue;
      assets.set(relative(root, path).split(sep).join('/'), { body: readFileSync(path), contentType });
    }
  };
  walk(root);
  return assets;
}
