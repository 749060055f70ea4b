import { EmbeddedDatabase } from './embedded-database';

/**
 * `node dist/apps/quickstart/src/embedded-server.js DATA_DIR [PORT]`: the embedded database alone, for
 * tools that need it without the api and the worker (tests, a backup of the embedded mode). Prints one
 * JSON line `{ url, dataDir, port }` once it accepts connections; stops on SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir) {
    process.stderr.write('usage: embedded-server DATA_DIR [PORT]\n');
    process.exit(2);
  }
  const db = await EmbeddedDatabase.start(dataDir, Number(port ?? 0));
  process.stdout.write(`${JSON.stringify({ url: db.url, dataDir: db.dataDir, port: db.port })}\n`);
  const stop = () => void db.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `embedded database failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
