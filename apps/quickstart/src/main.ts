import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Quickstart, QuickstartFailure, type QuickstartOptions } from './quickstart';

const USAGE = `usage: npm run quickstart -- [--embedded] [--demo] [--reset-admin]
  --embedded      PostgreSQL in this process (PGlite, data under var/), no Redis
  --demo          the embedded mode with a demo year: the 2024 plan, January to March filed, clock in April 2024
  --reset-admin   give the admin a new password (an event of the system), written to var/quickstart.env`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): QuickstartOptions | string {
  const known = new Set(['--embedded', '--services', '--demo', '--reset-admin']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0) return `unknown option ${unknown.join(' ')}\n${USAGE}`;
  const root = resolve(__dirname, '../../../..');
  const varDir = resolve(env.QUICKSTART_VAR_DIR || join(root, 'var'));
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `PORT=${env.PORT} is not a port number`;
  const demo = argv.includes('--demo');
  return {
    root,
    varDir,
    port,
    demo,
    embedded: demo || argv.includes('--embedded'),
    resetAdmin: argv.includes('--reset-admin'),
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return 2;
  }
  mkdirSync(options.varDir, { recursive: true });
  const quickstart = new Quickstart(options, (line) => process.stdout.write(`${line}\n`));
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    process.stdout.write(
      `\n==> ${signal}: stopping api, worker${options.embedded ? ' and the embedded database' : ''}\n`,
    );
    stopping ??= quickstart.stop();
    return stopping;
  };
  const stopped = new Promise<number>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => void stop(signal).then(() => done(0)));
    }
  });
  try {
    await quickstart.start();
  } catch (error) {
    await quickstart.stop();
    if (error instanceof QuickstartFailure) {
      process.stderr.write(`quickstart: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const died = quickstart.whenAChildDies().then(async (name) => {
    if (stopping) return stopped; // stopped on purpose: the signal's own path reports
    process.stderr.write(
      `quickstart: the ${name} stopped unexpectedly: see ${name === 'api' ? quickstart.api.logFile : quickstart.worker.logFile}, then run npm run quickstart again\n`,
    );
    await stop('exit');
    return 1;
  });
  return Promise.race([stopped, died]);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`quickstart failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
