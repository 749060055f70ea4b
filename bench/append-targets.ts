import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { type Actor, type ReportCommand, reportStreamId } from '@app/domain';
import { CommandExecutor } from '@app/application/command-executor';
import { requestContext } from '@app/application/request-context';
import { reportFoldDecider } from '@app/application/reports/report-fold';
import { EventStore, type EventMetadata, type NewEvent } from '@app/event-store';
import { Database } from '@app/platform/database';
import { SystemClock } from '@app/platform/clock';

/** One system under test: appends `events` to `streamId` when the stream is at `expectedVersion`. */
export interface AppendTarget {
  readonly name: 'ours' | 'store' | 'emmett' | 'plainInsert';
  append(
    streamId: string,
    events: NewEvent[],
    metadata: EventMetadata,
    expectedVersion: number,
  ): Promise<void>;
  close(): Promise<void>;
}

const clock = new SystemClock();

/** Inside March 2024 (Shanghai): the month is open for reports. */
const MARCH = new Date('2024-03-20T02:00:00Z');
const filler = (unit: string): Actor => ({
  userId: `f-${unit}`,
  username: `f-${unit}`,
  role: 'filler',
  unitCode: unit,
});
const leader = (unit: string): Actor => ({
  userId: `l-${unit}`,
  username: `l-${unit}`,
  role: 'leader',
  unitCode: unit,
});
const ADMIN: Actor = { userId: 'admin', username: 'admin', role: 'province-admin', unitCode: 'province' };

/**
 * Ours, as every command runs: `CommandExecutor.execute` with the real report decider (enter figures,
 * filler signs, leader signs, accept: one event each), the If-Match version the caller knows, the inline
 * projections and an idempotency claim written in the append's transaction, on the `skills_app` role.
 * The events are the decider's, of the same types and about the size of the others' payloads.
 */
export async function commandTarget(url: string): Promise<AppendTarget> {
  const db = await Database.create({ url, role: 'skills_app', applicationName: 'skills-bench' }).connect();
  const executor = new CommandExecutor(new EventStore(db), new SystemClock(MARCH));
  return {
    name: 'ours',
    async append(streamId, events, metadata, expectedVersion) {
      const unit = metadata.actor.unitCode;
      const figures = (events[0].data as { figures?: unknown }).figures ?? {
        training: 100,
        certified: 50,
        advanced: 5,
        onePlusX: 10,
      };
      const step = expectedVersion % 4;
      const actor = step === 0 || step === 1 ? filler(unit) : step === 2 ? leader(unit) : ADMIN;
      const command = (now: Date): ReportCommand => {
        const at = now.toISOString();
        if (step === 0)
          return {
            type: 'EnterFigures',
            data: { figures: figures as never, periodStart: '2024-02-29T16:00:00.000Z', periodInPlan: true },
            at,
            actor,
          };
        if (step === 1)
          return { type: 'SignAsFiller', data: { name: '张三', phone: '0371-12345678' }, at, actor };
        if (step === 2) return { type: 'SignAsLeader', data: { name: '李四' }, at, actor };
        return { type: 'ReviewReport', data: { decision: 'accept' }, at, actor };
      };
      const requestId = metadata.requestId ?? randomUUID();
      await requestContext.run(
        {
          requestId,
          correlationId: requestId,
          actor,
          idempotency: { userId: actor.userId, key: randomUUID(), requestHash: 'b'.repeat(64) },
        },
        () =>
          executor.execute({
            streamId: reportStreamId(unit, '2024-03'),
            decider: reportFoldDecider,
            actor,
            expectedVersion,
            command,
          }),
      );
      void streamId;
    },
    close: () => db.close(),
  };
}

/** The store's API alone: EventStore.append without a hook (no read model, no idempotency claim). */
export async function storeTarget(url: string): Promise<AppendTarget> {
  const db = await Database.create({ url, role: 'skills_app', applicationName: 'skills-bench' }).connect();
  const store = new EventStore(db);
  return {
    name: 'store',
    async append(streamId, events, metadata, expectedVersion) {
      await store.append(streamId, events, { expectedVersion, metadata, recordedAt: clock.now() });
    },
    close: () => db.close(),
  };
}

interface EmmettStore {
  schema: { migrate(): Promise<unknown> };
  appendToStream(
    stream: string,
    events: { type: string; data: unknown; metadata?: unknown }[],
    options?: { expectedStreamVersion?: bigint },
  ): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Emmett's PostgreSQL event store (0.42, its CommonJS build) on its own database, with a pool as wide
 * as the writers: it has no in-process batching, so it leans on PostgreSQL's own commit grouping.
 */
export async function emmettTarget(url: string, writers: number): Promise<AppendTarget> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Emmett's CommonJS build, loaded only when this target runs
  const emmett = require('@event-driven-io/emmett-postgresql') as {
    getPostgreSQLEventStore(url: string, options: unknown): EmmettStore;
  };
  const pool = new Pool({ connectionString: url, max: writers, application_name: 'skills-bench-emmett' });
  const store = emmett.getPostgreSQLEventStore(url, {
    connectionOptions: { pool },
    schema: { autoMigration: 'None' },
  });
  await store.schema.migrate();
  return {
    name: 'emmett',
    async append(streamId, events, metadata, expectedVersion) {
      await store.appendToStream(
        streamId,
        events.map((e) => ({ type: e.type, data: e.data, metadata })),
        { expectedStreamVersion: BigInt(expectedVersion) },
      );
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/**
 * The floor without batching: one INSERT per append in its own transaction (autocommit), the unique
 * (stream, position) key as the only concurrency check, no hashes, no global order.
 */
export async function plainInsertTarget(url: string, writers: number): Promise<AppendTarget> {
  const pool = new Pool({ connectionString: url, max: writers, application_name: 'skills-bench-plain' });
  await pool.query(`
    CREATE TABLE IF NOT EXISTS plain_events (
      position bigserial PRIMARY KEY,
      stream_id text NOT NULL,
      stream_position int NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      UNIQUE (stream_id, stream_position)
    )`);
  return {
    name: 'plainInsert',
    async append(streamId, events, metadata, expectedVersion) {
      const meta = JSON.stringify(metadata);
      if (events.length === 1) {
        await pool.query(
          `INSERT INTO plain_events (stream_id, stream_position, type, data, metadata, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [streamId, expectedVersion + 1, events[0].type, JSON.stringify(events[0].data), meta, clock.now()],
        );
        return;
      }
      await pool.query(
        `INSERT INTO plain_events (stream_id, stream_position, type, data, metadata, recorded_at)
         SELECT $1, $2 + n, t, d, $5, $6 FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS e(t, d, n)`,
        [
          streamId,
          expectedVersion,
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          meta,
          clock.now(),
        ],
      );
    },
    close: () => pool.end(),
  };
}
