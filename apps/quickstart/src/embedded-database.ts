import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { releaseLock, takeLock } from '@app/platform/embedded-lock';
import { ExchangeQueue } from './wire-queue';

/** Connections the socket accepts: the api's and the worker's pools, the migrations and the quickstart itself. */
export const EMBEDDED_MAX_CONNECTIONS = 24;
/** Per process: PGlite runs one query at a time, so more connections only queue longer. */
export const EMBEDDED_POOL_SIZE = 4;

/**
 * PostgreSQL in this process (PGlite, WebAssembly), served over the PostgreSQL wire protocol on a
 * loopback port, so the api, the worker and the migrations use the real `pg` driver as against any
 * PostgreSQL. Its data lives in `dataDir` (the backup of the embedded mode is that directory, copied
 * while stopped).
 *
 * What it cannot do, and the quickstart says at start: every connection shares one PostgreSQL session
 * (so the app role is a `SET ROLE` that anyone connected could reset, not a separate login), and it
 * never fsyncs (a killed process loses nothing, a power cut may lose the last writes). The socket
 * server runs one transaction at a time: a second connection waits until the first commits, and
 * one query's messages at a time (ExchangeQueue).
 */
export class EmbeddedDatabase {
  private constructor(
    readonly dataDir: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly port: number,
  ) {}

  static async start(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    const db = await PGlite.create({ dataDir: dir }).catch((error) => {
      releaseLock(dir);
      throw error;
    });
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port,
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    // Replaces the server's own queue, which interleaves concurrent connections' queries (see ExchangeQueue).
    (server as unknown as { queryQueue: ExchangeQueue }).queryQueue = new ExchangeQueue(db);
    try {
      await server.start();
    } catch (error) {
      await db.close();
      releaseLock(dir);
      throw error;
    }
    const bound = Number(server.getServerConn().split(':').pop());
    const embedded = new EmbeddedDatabase(dir, db, server, bound);
    takeLock(dir, embedded.url);
    return embedded;
  }

  /** The owner's URL (PGlite's one user is the superuser `postgres`). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * Queries as the owner, straight into the engine (not through the socket), also after
   * `switchRole`: the role is raised for this one transaction only.
   */
  async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE postgres');
      return (await tx.query<R>(sql, params)).rows;
    });
  }

  /**
   * From now on every connection runs as `role` (the shared session's current role): the ledger's
   * grants then hold for the api and the worker, as far as a single session allows.
   */
  async switchRole(role: string): Promise<void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`bad role name ${role}`);
    await this.db.exec(`SET ROLE ${role}`);
  }

  async stop(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    if (!this.db.closed) await this.db.close();
    releaseLock(this.dataDir);
  }
}
