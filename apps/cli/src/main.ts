import 'reflect-metadata';
import { migrate } from '@app/platform/database';
import { MIGRATIONS } from '../../../migrations';
import { ensureAppLoginFromEnv } from '@app/platform/app-login';
import { COMMANDS } from './commands';

const USAGE = `usage: skills-ledger <command>
  migrate                          apply database migrations (MIGRATION_DATABASE_URL, else DATABASE_URL)
${COMMANDS.map((c) => `  ${c.usage.padEnd(32)} ${c.description}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'migrate') {
    const url =
      process.env.MIGRATION_DATABASE_URL ||
      process.env.DATABASE_URL ||
      'postgres://postgres@127.0.0.1:5432/skills';
    const applied = await migrate(url, MIGRATIONS);
    process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    const login = await ensureAppLoginFromEnv(url, process.env);
    if (login) process.stderr.write(`application login ${login} ready (member of skills_app)\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return name ? 2 : 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
