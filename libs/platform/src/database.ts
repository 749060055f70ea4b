import { DataSource, type MigrationInterface } from 'typeorm';
import { Client, type PoolClient } from 'pg';

/** A row as pg answers it, until the caller names its columns. */
export type Row = Record<string, unknown>;

/** The narrow SQL surface the ledger needs: a query that answers rows (typed by the caller). */
export interface SqlClient {
  query<R = Row>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface DatabaseOptions {
  url: string;
  /** Role every application session switches to (see migrations: it cannot change events). */
  role?: string;
  poolSize?: number;
  applicationName?: string;
  /** The schema's migrations, in order: only `migrate` needs them, and the apps own them (migrations/). */
  migrations?: MigrationClass[];
}

/** A migration class as TypeORM runs it. */
export type MigrationClass = new () => MigrationInterface;

/**
 * One pool per process, owned by TypeORM (which also runs the migrations). The ledger talks plain SQL
 * through raw pg clients borrowed from that pool: events are the persistence model, there are no entities.
 */
export class Database {
  private constructor(readonly dataSource: DataSource) {}

  static create(options: DatabaseOptions): Database {
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      migrations: options.migrations ?? [],
      migrationsTableName: 'schema_migrations',
      migrationsRun: false,
      synchronize: false,
      logging: false,
      extra: {
        max: options.poolSize ?? 10,
        application_name: options.applicationName ?? 'skills-ledger',
        options: options.role ? `-c role=${options.role}` : undefined,
        connectionTimeoutMillis: 5000,
        Client: ResilientClient,
      },
    });
    return new Database(dataSource);
  }

  async connect(): Promise<this> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    return this;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  async withClient<T>(work: (client: SqlClient & { raw: PoolClient }) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const raw = (await runner.connect()) as PoolClient;
    try {
      return await work(wrap(raw));
    } finally {
      await runner.release();
    }
  }

  query<R = Row>(sql: string, params?: unknown[]): Promise<R[]> {
    return this.withClient((c) => c.query<R>(sql, params));
  }

  /** Runs `work` in one transaction; any throw rolls everything back. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }
}

/**
 * A backend killed by the server (pg_terminate_backend, a restart) makes its client emit 'error' at any
 * moment, also between the pool's own listeners. The query in flight already rejects; this listener,
 * there from birth, only keeps the process alive.
 */
class ResilientClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

function wrap(raw: PoolClient): SqlClient & { raw: PoolClient } {
  return {
    raw,
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const result = await raw.query(sql, params);
      return result.rows as R[];
    },
  };
}

export class UnsafeDatabaseError extends Error {}

/**
 * An acknowledged event must survive a crash: refuse to run on a server (or a role) that would
 * acknowledge commits before they reach the disk.
 */
export async function assertDurable(db: Database): Promise<void> {
  const [{ fsync }] = await db.query<{ fsync: string }>('SHOW fsync');
  const [{ synchronous_commit: sync }] = await db.query<{ synchronous_commit: string }>(
    'SHOW synchronous_commit',
  );
  const problems = [
    fsync !== 'on' ? `fsync = ${fsync}` : null,
    sync === 'off' ? `synchronous_commit = ${sync}` : null,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new UnsafeDatabaseError(
      `PostgreSQL 未启用持久化写入（${problems.join('，')}）：已确认的事件可能在崩溃时丢失，服务拒绝启动。请设置 fsync=on 与 synchronous_commit=on。`,
    );
  }
}

/** Applies pending migrations as the connecting (owner) role, never as the restricted application role. */
export async function migrate(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const db = Database.create({ url, poolSize: 1, applicationName: 'skills-ledger-migrate', migrations });
  await db.connect();
  try {
    const applied = await db.dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await db.close();
  }
}
