import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { SYSTEM_ACTOR } from '@app/domain';
import { ApplicationModule } from '@app/application/application.module';
import { ChangePasswordCommand } from '@app/application/users/users.commands';
import { UserDirectory } from '@app/application/users/user-directory';
import { PlatformModule } from '@app/platform/platform.module';
import type { CliCommand } from './commands';

// The CommandBus reaches the same ChangePasswordHandler the API's password change does.
@Module({ imports: [CqrsModule.forRoot(), PlatformModule, ApplicationModule] })
class AdminCliModule {}

/**
 * `admin reset-password USERNAME`: sets the password given in NEW_PASSWORD (never on the command line,
 * where `ps` shows it), recorded as the system's ChangePassword event. For an operator who has lost
 * the only admin's password, and for `npm run quickstart -- --reset-admin`.
 */
export function adminCommand(): CliCommand {
  return {
    name: 'admin',
    usage: 'admin reset-password USERNAME',
    description: 'set USERNAME’s password to $NEW_PASSWORD (recorded as an event of the system)',
    async run(args) {
      const [verb, username] = args;
      const password = process.env.NEW_PASSWORD ?? '';
      if (verb !== 'reset-password' || !username) {
        process.stderr.write('usage: NEW_PASSWORD=... admin reset-password USERNAME\n');
        return 2;
      }
      if (password.length < 8) {
        process.stderr.write('NEW_PASSWORD must be set, at least 8 characters\n');
        return 2;
      }
      const app = await NestFactory.createApplicationContext(AdminCliModule, { logger: ['error'] });
      try {
        if (!(await app.get(UserDirectory).find(username))) {
          process.stderr.write(`no user ${username}\n`);
          return 1;
        }
        const command = { type: 'ChangePassword' as const, data: {}, actor: SYSTEM_ACTOR };
        await app.get(CommandBus).execute(new ChangePasswordCommand(username, command, password));
        process.stdout.write(`password of ${username} changed\n`);
        return 0;
      } finally {
        await app.close();
      }
    },
  };
}
