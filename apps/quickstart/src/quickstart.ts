import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@app/platform/database';
import { MIGRATIONS } from '../../../migrations';
import {
  decideAdmin,
  type DemoRecord,
  ensureRecordTable,
  type OwnerQuery,
  readRecord,
  recordDemo,
  writeRecord,
} from './admin-record';
import { ApiClient } from './api-client';
import { DEMO_NOW, runDemo } from './demo';
import { EMBEDDED_POOL_SIZE, EmbeddedDatabase } from './embedded-database';
import { newPassword, type QuickstartSecrets, readSecrets, writeSecrets } from './env-file';
import { AppProcess, childEnv, ENTRY, runCli, StartError, waitHealthy } from './processes';
import { createDatabaseIfMissing, firstLine, QuickstartFailure } from './system-database';

export { QuickstartFailure } from './system-database';

export interface QuickstartOptions {
  root: string;
  varDir: string;
  port: number;
  embedded: boolean;
  demo: boolean;
  resetAdmin: boolean;
}

/**
 * One run of `npm run quickstart`: the database (embedded or the system's), migrations, the admin,
 * the api and the worker, the 2024 plan (or the demo year), then it stays until stopped.
 */
export class Quickstart {
  private embedded?: EmbeddedDatabase;
  private owner?: Client;
  private query!: OwnerQuery;
  private url!: string;
  private secrets!: QuickstartSecrets;
  private demo: DemoRecord | null = null;
  readonly api: AppProcess;
  readonly worker: AppProcess;

  constructor(
    readonly options: QuickstartOptions,
    private readonly say: (line: string) => void,
  ) {
    this.api = new AppProcess('api', ENTRY.api, join(options.varDir, 'api.log'));
    this.worker = new AppProcess('worker', ENTRY.worker, join(options.varDir, 'worker.log'));
  }

  get base(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Where the embedded database keeps its files (back it up by copying it while the quickstart is stopped). */
  get dataDir(): string {
    return join(this.options.varDir, this.options.demo ? 'pgdata-demo' : 'pgdata');
  }

  get envFile(): string {
    return join(this.options.varDir, 'quickstart.env');
  }

  async start(): Promise<void> {
    await this.openDatabase();
    this.say('==> migrating');
    await migrate(this.url, MIGRATIONS).catch((error) => {
      throw new QuickstartFailure(
        `migrations failed (${firstLine(error)}): see the message above, or start from an empty database`,
      );
    });
    await ensureRecordTable(this.query);
    await this.settleAdmin();
    this.demo = (await readRecord(this.query))?.demo ?? null;
    if (this.embedded) await this.embedded.switchRole('skills_app');

    if (this.options.demo && !this.demo) {
      this.say('==> generating the demo year (2024, January to March) through the API: a few minutes');
      const accounts = await runDemo({
        client: new ApiClient(this.base),
        admin: this.secrets,
        planCsv: readFileSync(join(this.options.root, 'data/plans/2024.csv')),
        setClock: (now) => this.restartApi(now),
        say: this.say,
      }).catch((error) => {
        throw new QuickstartFailure(
          `the demo year was not generated (${firstLine(error)}): delete ${this.dataDir} and run npm run quickstart -- --demo again`,
        );
      });
      this.demo = { now: DEMO_NOW.toISOString(), accounts };
      await recordDemo(this.query, this.demo);
      await this.api.stop();
    }
    await this.startApps(this.demo ? new Date(this.demo.now) : undefined);
    if (!this.demo) await this.loadPlan();
    this.printSummary();
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), this.worker.stop()]);
    await this.owner?.end().catch(() => undefined);
    this.owner = undefined;
    await this.embedded?.stop();
    this.embedded = undefined;
  }

  /** Resolves with the name of the api or the worker once one of them ends on its own. */
  whenAChildDies(): Promise<string> {
    return Promise.race([this.api.exited.then(() => 'api'), this.worker.exited.then(() => 'worker')]);
  }

  private async openDatabase(): Promise<void> {
    if (this.options.embedded) {
      this.say(`==> embedded PostgreSQL (PGlite), data directory ${this.dataDir}`);
      this.say(
        '    It is one process with one session: it cannot separate logins (the app role skills_app is a SET ROLE any connection could undo),',
      );
      this.say(
        '    and it does not fsync (a killed process loses nothing, a power cut may lose the last writes). For trying and demos only.',
      );
      this.embedded = await EmbeddedDatabase.start(this.dataDir).catch((error) => {
        throw new QuickstartFailure(
          `the embedded database in ${this.dataDir} did not open (${firstLine(error)}): is another quickstart running on it? Stop it, or move that directory away`,
        );
      });
      this.url = this.embedded.url;
      this.query = (sql, params) => this.embedded!.query(sql, params);
      return;
    }
    this.url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/skills';
    await createDatabaseIfMissing(this.url);
    this.owner = new Client({ connectionString: this.url });
    await this.owner.connect();
    this.query = async <R>(sql: string, params?: unknown[]) =>
      (await this.owner!.query(sql, params)).rows as R[];
  }

  private async settleAdmin(): Promise<void> {
    const { secrets, changed } = readSecrets(this.envFile);
    if (this.options.resetAdmin) {
      this.secrets = await this.resetAdmin(secrets);
    } else {
      const decision = await decideAdmin(this.query, secrets);
      if (decision.kind === 'unknown-admin') {
        throw new QuickstartFailure(
          `this database already has a user ${decision.username} whose password is not the one in ${this.envFile}: run npm run quickstart -- --reset-admin${this.options.embedded ? '' : ', or use another database (DATABASE_URL)'}`,
        );
      }
      if (decision.kind === 'reused') {
        this.say(
          `==> this database was set up by an earlier quickstart: reusing its admin ${decision.secrets.ADMIN_USERNAME} (new password: npm run quickstart -- --reset-admin)`,
        );
      }
      this.secrets = decision.secrets;
      if (!changed && decision.kind === 'same') return;
    }
    writeSecrets(this.envFile, this.secrets);
  }

  private async resetAdmin(secrets: QuickstartSecrets): Promise<QuickstartSecrets> {
    const record = await readRecord(this.query);
    const reset = {
      ...secrets,
      ADMIN_USERNAME: record?.username ?? secrets.ADMIN_USERNAME,
      ADMIN_PASSWORD: newPassword(),
    };
    this.secrets = reset; // the command-line tool below runs with these settings
    const [exists] = await this.query('SELECT 1 FROM user_credentials WHERE username = $1', [
      reset.ADMIN_USERNAME,
    ]);
    if (exists) {
      const { code, output } = await runCli(['admin', 'reset-password', reset.ADMIN_USERNAME], {
        ...this.appEnv(),
        NEW_PASSWORD: reset.ADMIN_PASSWORD,
      });
      if (code !== 0)
        throw new QuickstartFailure(
          `the admin's password was not changed (${firstLine(output)}): see var/ logs and try again`,
        );
      this.say(
        `==> new password for ${reset.ADMIN_USERNAME} (recorded as a ChangePassword event of the system)`,
      );
    }
    await writeRecord(this.query, reset);
    return reset;
  }

  /** The settings of the api and the worker; in the embedded mode nothing of the caller's databases leaks in. */
  appEnv(fakeNow?: Date): NodeJS.ProcessEnv {
    const own: Record<string, string> = {
      PORT: String(this.options.port),
      JWT_SECRET: this.secrets.JWT_SECRET,
      ADMIN_USERNAME: this.secrets.ADMIN_USERNAME,
      ADMIN_PASSWORD: this.secrets.ADMIN_PASSWORD,
      DATABASE_URL: this.url,
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR || join(this.options.varDir, 'checkpoints'),
    };
    if (fakeNow) own.FAKE_NOW = fakeNow.toISOString();
    if (this.embedded) {
      Object.assign(own, {
        REDIS_URL: 'none',
        EMBEDDED_DATABASE: 'true',
        MIGRATION_DATABASE_URL: this.url,
        DATABASE_POOL_SIZE: String(EMBEDDED_POOL_SIZE),
      });
    }
    return childEnv(own, Boolean(this.embedded));
  }

  private async restartApi(fakeNow: Date): Promise<void> {
    await this.api.stop();
    this.api.start(this.appEnv(fakeNow));
    await this.healthy(this.api);
  }

  private async startApps(fakeNow?: Date): Promise<void> {
    this.say(`==> starting api (port ${this.options.port}) and worker`);
    this.api.start(this.appEnv(fakeNow));
    this.worker.start(this.appEnv(fakeNow));
    await this.healthy(this.api);
  }

  private async healthy(app: AppProcess): Promise<void> {
    try {
      await waitHealthy(this.base, app);
    } catch (error) {
      if (!(error instanceof StartError)) throw error;
      const log = app.tail();
      this.say(log);
      const busy = /EADDRINUSE/.test(log);
      throw new QuickstartFailure(
        busy
          ? `port ${this.options.port} is taken: stop what uses it, or run PORT=${this.options.port + 1} npm run quickstart`
          : `the ${app.name} did not start: see its last lines above (full log ${app.logFile})`,
      );
    }
  }

  private async loadPlan(): Promise<void> {
    const admin = await this.login();
    this.say('==> loading the 2024 plan (data/plans/2024.csv)');
    const csv = readFileSync(join(this.options.root, 'data/plans/2024.csv'));
    await admin.command('PUT', '/api/v1/plans/2024', csv, { type: 'text/csv' }).catch((error) => {
      throw new QuickstartFailure(`the 2024 plan was not loaded (${firstLine(error)}): see var/api.log`);
    });
  }

  private async login(): Promise<ApiClient> {
    return new ApiClient(this.base)
      .login(this.secrets.ADMIN_USERNAME, this.secrets.ADMIN_PASSWORD)
      .catch((error) => {
        throw new QuickstartFailure(
          `the admin ${this.secrets.ADMIN_USERNAME} cannot log in (${firstLine(error)}): run npm run quickstart -- --reset-admin`,
        );
      });
  }

  private printSummary(): void {
    const accounts = [
      {
        role: 'province-admin 省级管理员',
        username: this.secrets.ADMIN_USERNAME,
        password: this.secrets.ADMIN_PASSWORD,
      },
      ...(this.demo?.accounts ?? []),
    ];
    const lines = [
      '',
      `skills-ledger is running${this.embedded ? ' (embedded mode: PGlite, no Redis)' : ''}${this.demo ? `, demo clock ${this.demo.now} (FAKE_NOW)` : ''}.`,
      `  Web console    ${this.base}/`,
      `  API docs       ${this.base}/api/docs`,
      `  Health         ${this.base}/health`,
      ...accounts.map((a) => `  ${a.role.padEnd(28)} ${a.username} / ${a.password}`),
      `  Admin login    kept in ${this.envFile}`,
      ...(this.embedded ? [`  Data           ${this.dataDir} (delete it to start empty)`] : []),
      `  Logs           ${this.api.logFile}, ${this.worker.logFile}`,
      'Press Ctrl+C to stop.',
    ];
    for (const line of lines) this.say(line);
  }
}
