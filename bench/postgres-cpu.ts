import { Client } from 'pg';
import { cpuSeconds } from './api-process';

/**
 * CPU time of the PostgreSQL backends serving one database (the api's and the worker's connections),
 * read from /proc while a burst runs: backends that appear during it count from zero. Shared server
 * processes (WAL writer, checkpointer) and other databases on the server are not counted.
 */
export class PostgresCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly client: Client,
    private readonly database: string,
  ) {}

  static async watch(url: string): Promise<PostgresCpu> {
    const client = new Client({ connectionString: url, application_name: 'skills-bench-cpu' });
    await client.connect();
    const database = (await client.query('SELECT current_database() AS d')).rows[0].d as string;
    const watcher = new PostgresCpu(client, database);
    await watcher.sample(true);
    watcher.timer = setInterval(() => void watcher.sample(false).catch(() => undefined), 200);
    return watcher;
  }

  private async sample(baseline: boolean): Promise<void> {
    const { rows } = await this.client.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [this.database],
    );
    for (const { pid } of rows) {
      const cpu = cpuSeconds(pid);
      if (cpu === 0 && this.last.has(pid)) continue;
      if (!this.first.has(pid)) this.first.set(pid, baseline ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  /** Seconds of CPU the database's backends used since `watch`; stops watching. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample(false).catch(() => undefined);
    await this.client.end().catch(() => undefined);
    let total = 0;
    for (const [pid, end] of this.last) total += Math.max(0, end - (this.first.get(pid) ?? 0));
    return total;
  }
}
