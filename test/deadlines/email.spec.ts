import { Logger } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../libs/domain/src';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { DueReports } from '../../libs/application/src/deadlines/due-reports';
import { ReminderChannels } from '../../libs/application/src/deadlines/reminder-channels';
import { ReminderService } from '../../libs/application/src/deadlines/reminders.service';
import { UnitDirectory } from '../../libs/application/src/units/unit-directory';
import { UserDirectory } from '../../libs/application/src/users/user-directory';
import { CreateUserCommand, CreateUserHandler } from '../../libs/application/src/users/users.commands';
import { ManualClock } from '../../libs/platform/src/clock';
import { loadConfig } from '../../libs/platform/src/config';
import { ledgerFixture } from '../support/ledger-fixture';
import { seeder } from './seed';
import { smtpSink } from './smtp-sink';

jest.setTimeout(30_000);

describe('reminders by e-mail', () => {
  let ledger: Awaited<ReturnType<typeof ledgerFixture>>;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  let channels: ReminderChannels;
  let service: ReminderService;
  const clock = new ManualClock(new Date('2024-03-01T02:00:00Z'));

  const rows = () =>
    ledger.db.query(
      `SELECT unit_code, recipient, channel, address, delivered_at, error FROM reminders
        WHERE kind = 'reminder' AND period = '2024-03' AND unit_code = 'U01' ORDER BY recipient`,
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ledger = await ledgerFixture(4);
    sink = await smtpSink();
    const executor = new CommandExecutor(ledger.store, clock);
    await seeder(executor, clock).publishPlan(2024, { at: '2024-03-01T02:00:00Z' });
    const users = new CreateUserHandler(
      executor,
      new UserDirectory(ledger.db),
      new UnitDirectory(ledger.db),
      clock,
    );
    for (const [username, role] of [
      ['filler-u01', 'filler'],
      ['leader-u01', 'leader'],
    ] as const) {
      const data = { username, displayName: username, role, unitCode: 'U01' };
      await users.execute(
        new CreateUserCommand({ type: 'CreateUser', data, actor: SYSTEM_ACTOR }, `${username}-password`),
      );
    }
    const config = loadConfig({
      ...process.env,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      SMTP_FROM: 'ledger@example.edu.cn',
      REMINDER_EMAIL_DOMAIN: 'example.edu.cn',
    });
    channels = new ReminderChannels(config);
    service = new ReminderService(ledger.db, new DueReports(ledger.db), channels, clock);
  });
  afterAll(async () => {
    channels.onApplicationShutdown();
    await sink.close();
    await ledger.close();
  });

  it('mails each filler and leader of a unit that has not submitted, once', async () => {
    clock.set('2024-03-28T00:00:00Z');
    const summary = await service.run();
    expect(summary.failed).toBe(0);
    const toU01 = sink.mails.filter((m) => m.to[0].endsWith('@example.edu.cn'));
    expect(toU01.map((m) => m.to[0]).sort()).toEqual([
      'filler-u01@example.edu.cn',
      'leader-u01@example.edu.cn',
    ]);
    expect(toU01[0].from).toMatch(/ledger@example\.edu\.cn/);
    expect(toU01[0].data).toMatch(/Subject: /);
    expect(await rows()).toEqual([
      expect.objectContaining({
        recipient: 'filler-u01',
        channel: 'email',
        address: 'filler-u01@example.edu.cn',
        error: null,
      }),
      expect.objectContaining({
        recipient: 'leader-u01',
        channel: 'email',
        address: 'leader-u01@example.edu.cn',
        error: null,
      }),
    ]);
    expect((await rows()).every((r) => r.delivered_at !== null)).toBe(true);

    const count = sink.mails.length;
    await service.run();
    expect(sink.mails.length).toBe(count);
  });

  it('records a refused delivery and delivers it on a later run', async () => {
    await ledger.db.query(`DELETE FROM reminders`);
    const port = sink.port;
    await sink.close();
    const failed = await service.run();
    expect(failed.failed).toBeGreaterThan(0);
    expect((await rows()).every((r) => r.error !== null && r.delivered_at === null)).toBe(true);

    sink = await smtpSink(port);
    const retried = await service.run();
    expect(retried.failed).toBe(0);
    expect((await rows()).every((r) => r.error === null && r.delivered_at !== null)).toBe(true);
    expect(sink.mails.filter((m) => m.to[0].startsWith('filler-u01'))).toHaveLength(1);
  });
});
