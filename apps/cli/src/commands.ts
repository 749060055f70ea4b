import { adminCommand } from './admin.command';
import { backupCommand } from './backup.command';
import { ledgerCommand } from './ledger.command';
import { planCommand } from './plan.command';
import { restoreCommand } from './restore.command';

/** A subcommand of the command-line tool. */
export interface CliCommand {
  name: string;
  usage: string;
  description: string;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: CliCommand[] = [
  ledgerCommand(),
  planCommand(),
  backupCommand(),
  restoreCommand(),
  adminCommand(),
];
