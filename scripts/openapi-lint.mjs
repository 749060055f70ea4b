// The OpenAPI document as integrators read it: built from the compiled app in Nest's preview mode (no
// provider runs, so no database, Redis or secrets are needed), written to dist/openapi.json, and linted
// with redocly's recommended rules (redocly.yaml). Any error or warning fails. Reads what
// `npm run typecheck` compiled; `npm run lint` runs that first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = resolve(root, process.argv[2] ?? 'node_modules/.cache/typecheck');
const output = join(root, 'dist', 'openapi.json');
const require = createRequire(join(root, 'package.json'));

// The compiled files still import `@app/<lib>` (tsconfig paths); point those at the compiled libraries.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@app\/(domain|event-store|platform|application)(\/.*)?$/.exec(request);
  const target = lib ? join(compiled, 'libs', lib[1], 'src', lib[2] ?? '') : request;
  return resolveFilename.call(this, target, ...rest);
};

require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(join(compiled, 'apps/api/src/app.module.js'));
const { openApiDocument } = require(join(compiled, 'apps/api/src/openapi.js'));

const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
const document = openApiDocument(app);
await app.close();
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);

// Neither telemetry nor an update check: this machine and CI reach no host but the package registries.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const redocly = (format) =>
  spawnSync(
    process.execPath,
    [
      require.resolve('@redocly/cli/bin/cli.js'),
      'lint',
      `--format=${format}`,
      '--config=redocly.yaml',
      output,
    ],
    { cwd: root, env, encoding: 'utf8' },
  );
const result = redocly('json');
let totals;
try {
  totals = JSON.parse(result.stdout).totals;
} catch {
  process.stderr.write(result.stdout + result.stderr);
  process.exit(1);
}
const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;
if (result.status !== 0 || totals.errors > 0 || totals.warnings > 0) {
  const shown = redocly('stylish');
  process.stderr.write(shown.stdout + shown.stderr);
  process.stderr.write(`OpenAPI: ${totals.errors} errors, ${totals.warnings} warnings (warnings fail too)\n`);
  process.exit(1);
}
process.stdout.write(
  `OpenAPI: ${operations} operations, redocly recommended: no problems (${totals.ignored} ignored)\n`,
);
