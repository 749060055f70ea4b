import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { VersionConflictError, UnstorableEventError } from './errors';
import { ProjectionRunner, type Projection } from './projection';
import { GENESIS_HASH } from './hash';
import { verifyChain } from './verify';

const at = new Date('2024-03-01T00:00:00.000Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event store on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeEach(async () => {
    f = await ledgerFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('appends with an expected version and reads the stream back in order', async () => {
    const first = await f.store.append('s-1', [{ type: 'A', data: { n: 1 } }], {
      expectedVersion: 0,
      metadata: meta(),
      recordedAt: at,
    });
    expect(first.version).toBe(1);
    const second = await f.store.append(
      's-1',
      [
        { type: 'B', data: { n: 2 } },
        { type: 'C', data: {} },
      ],
      {
        expectedVersion: 1,
        metadata: meta(),
        recordedAt: at,
      },
    );
    expect(second.version).toBe(3);
    const events = await f.store.readStream('s-1');
    expect(events.map((e) => [e.type, e.streamPosition, e.position])).toEqual([
      ['A', 1, 1],
      ['B', 2, 2],
      ['C', 3, 3],
    ]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[0].metadata.actor.username).toBe('tester');
  });

  it('lets exactly one of 16 concurrent appends at one expected version win', async () => {
    await f.store.append('race', [{ type: 'Opened', data: {} }], {
      expectedVersion: 0,
      metadata: meta(),
      recordedAt: at,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        f.store.append(
          'race',
          [
            { type: 'Moved', data: { i } },
            { type: 'Noted', data: { i } },
          ],
          {
            expectedVersion: 1,
            metadata: meta(),
            recordedAt: at,
          },
        ),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(15);
    for (const l of lost) expect(l.reason).toBeInstanceOf(VersionConflictError);
    const stream = await f.store.readStream('race');
    expect(stream).toHaveLength(3);
    expect(new Set(stream.slice(1).map((e) => (e.data as any).i)).size).toBe(1);
  });

  it('lets exactly one win across separate processes (separate stores on one database)', async () => {
    const other = new (f.store.constructor as any)(f.db);
    await f.store.append('race2', [{ type: 'Opened', data: {} }], {
      expectedVersion: 0,
      metadata: meta(),
      recordedAt: at,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? other : f.store).append('race2', [{ type: 'Moved', data: { i } }], {
          expectedVersion: 1,
          metadata: meta(),
          recordedAt: at,
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(await f.store.readStream('race2')).toHaveLength(2);
  });

  it('keeps one failed check in a group commit to its own append', async () => {
    const results = await Promise.allSettled([
      f.store.append('g-1', [{ type: 'A', data: {} }], {
        expectedVersion: 0,
        metadata: meta(),
        recordedAt: at,
      }),
      f.store.append('g-2', [{ type: 'A', data: {} }], {
        expectedVersion: 5,
        metadata: meta(),
        recordedAt: at,
      }),
      f.store.append('g-3', [{ type: 'A', data: {} }], {
        expectedVersion: 0,
        metadata: meta(),
        recordedAt: at,
        inTransaction: async () => {
          throw new Error('hook refuses');
        },
      }),
      f.store.append('g-4', [{ type: 'A', data: {} }], {
        expectedVersion: 0,
        metadata: meta(),
        recordedAt: at,
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const all = await f.store.readAll(0, 100);
    expect(all.map((e) => e.streamId)).toEqual(['g-1', 'g-4']);
    expect(all.map((e) => e.position)).toEqual([1, 2]);
    expect((await verifyChain(all)).ok).toBe(true);
  });

  it('refuses numbers JavaScript cannot hold exactly and NUL characters, storing nothing', async () => {
    await expect(
      f.store.append('bad', [{ type: 'A', data: { n: 2 ** 53 + 2 } }], {
        expectedVersion: 0,
        metadata: meta(),
        recordedAt: at,
      }),
    ).rejects.toBeInstanceOf(UnstorableEventError);
    await expect(
      f.store.append('bad', [{ type: 'A', data: { s: 'a\u0000b' } }], {
        expectedVersion: 0,
        metadata: meta(),
        recordedAt: at,
      }),
    ).rejects.toBeInstanceOf(UnstorableEventError);
    expect(await f.store.readAll(0, 10)).toEqual([]);
  });

  it('never forks the hash chain under 8 concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          await f.store.append(`w-${w}`, [{ type: 'Wrote', data: { w, i } }], {
            expectedVersion: i,
            metadata: meta(),
            recordedAt: at,
          });
        }
      }),
    );
    const all = await f.store.readAll(0, 1000);
    expect(all).toHaveLength(200);
    all.forEach((e, i) => {
      expect(e.position).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : all[i - 1].hash);
    });
    const result = await verifyChain(f.store.iterateAll(7));
    expect(result).toMatchObject({ ok: true, checked: 200, head: { position: 200, hash: all[199].hash } });
  });

  it('lets a projection runner see every event exactly once while 8 writers commit after random delays', async () => {
    const seen: number[] = [];
    const counter: Projection = {
      name: 'counter',
      handles: ['Wrote'],
      tables: [],
      apply: async (_tx, e) => {
        seen.push(e.position);
      },
    };
    const runner = new ProjectionRunner(f.db, [counter], () => new Date(), 7);
    let writing = true;
    const reader = (async () => {
      while (writing) {
        await runner.catchUp();
        await sleep(3);
      }
      await runner.catchUp();
    })();
    // Separate stores: no group commit between them, so commits really do interleave with the reader.
    const Store = f.store.constructor as any;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const store = new Store(f.db);
        for (let i = 0; i < 15; i++) {
          await store.append(`d-${w}`, [{ type: 'Wrote', data: { w, i } }], {
            expectedVersion: i,
            metadata: meta(),
            recordedAt: at,
            inTransaction: () => sleep(Math.random() * 8),
          });
        }
      }),
    );
    writing = false;
    await reader;
    expect(seen).toHaveLength(120);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(120);
  });

  it('resumes a killed projection run from its checkpoint without applying anything twice', async () => {
    for (let i = 0; i < 10; i++) {
      await f.store.append('p', [{ type: 'Wrote', data: { i } }], {
        expectedVersion: i,
        metadata: meta(),
        recordedAt: at,
      });
    }
    await f.owner.query('CREATE TABLE seen (position bigint PRIMARY KEY)');
    await f.owner.query('GRANT ALL ON seen TO skills_app');
    let crashAt = 7;
    const projection: Projection = {
      name: 'seen',
      handles: ['Wrote'],
      tables: ['seen'],
      apply: async (tx, e) => {
        await tx.query('INSERT INTO seen VALUES ($1)', [e.position]);
      },
    };
    // The process dies mid-batch: its backend is killed while it applies event 7, so the batch and its
    // checkpoint are lost together.
    let victim: number | undefined;
    const crashing = new ProjectionRunner(
      f.db,
      [
        {
          ...projection,
          apply: async (tx, e) => {
            if (e.position === crashAt) {
              [{ pid: victim }] = await tx.query('SELECT pg_backend_pid() AS pid');
              await tx.query('SELECT pg_sleep(10)');
            }
            await projection.apply(tx, e);
          },
        },
      ],
      () => new Date(),
      3,
    );
    const run = crashing.catchUp();
    while (victim === undefined) await sleep(5);
    await f.owner.query('SELECT pg_terminate_backend($1)', [victim]);
    await expect(run).rejects.toThrow();
    const [{ position }] = await f.db.query('SELECT position FROM projection_checkpoints WHERE name = $1', [
      'seen',
    ]);
    expect(Number(position)).toBe(6);
    crashAt = -1;
    await new ProjectionRunner(f.db, [projection], () => new Date(), 3).catchUp();
    const rows = await f.db.query('SELECT position FROM seen ORDER BY position');
    expect(rows.map((r) => Number(r.position))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('sends an event a projection cannot apply to the dead-letter table and goes on', async () => {
    for (let i = 0; i < 3; i++) {
      await f.store.append('dl', [{ type: 'Wrote', data: { i } }], {
        expectedVersion: i,
        metadata: meta(),
        recordedAt: at,
      });
    }
    const applied: number[] = [];
    const runner = new ProjectionRunner(
      f.db,
      [
        {
          name: 'picky',
          handles: ['Wrote'],
          tables: [],
          apply: async (_tx, e) => {
            if (e.position === 2) throw new Error('cannot apply');
            applied.push(e.position);
          },
        },
      ],
      () => new Date(),
    );
    await runner.catchUp();
    expect(applied).toEqual([1, 3]);
    const dead = await f.db.query('SELECT position, error FROM projection_dead_letters');
    expect(dead).toEqual([{ position: '2', error: 'cannot apply' }]);
    expect(await runner.status()).toEqual([
      { name: 'picky', position: 3, lag: 0, status: 'running', deadLetters: 1 },
    ]);
  });

  it('forbids the application role to update, delete or truncate events, and the trigger forbids the owner', async () => {
    await f.store.append('x', [{ type: 'A', data: { v: 1 } }], {
      expectedVersion: 0,
      metadata: meta(),
      recordedAt: at,
    });
    await expect(f.db.query(`UPDATE events SET data = '{}'`)).rejects.toThrow(/permission denied/);
    await expect(f.db.query(`DELETE FROM events`)).rejects.toThrow(/permission denied/);
    await expect(f.db.query(`TRUNCATE events`)).rejects.toThrow(/permission denied/);
    await expect(f.owner.query(`UPDATE events SET data = '{}'`)).rejects.toThrow(/immutable/);
    await expect(f.owner.query(`DELETE FROM events`)).rejects.toThrow(/immutable/);
    await expect(f.owner.query(`TRUNCATE events`)).rejects.toThrow(/immutable/);
    expect(await f.store.readStream('x')).toHaveLength(1);
  });
});

describe('durability check at start', () => {
  it('refuses a session where synchronous_commit is off', async () => {
    const { createTestDatabase } = await import('../../../test/support/databases');
    const { Database, assertDurable } = await import('@app/platform/database');
    const database = await createTestDatabase();
    const db = await Database.create({ url: database.url, poolSize: 1 }).connect();
    try {
      await expect(assertDurable(db)).resolves.toBeUndefined();
      await db.query(`ALTER DATABASE ${database.name} SET synchronous_commit = off`);
      const unsafe = await Database.create({ url: database.url, poolSize: 1 }).connect();
      await expect(assertDurable(unsafe)).rejects.toThrow(/synchronous_commit = off/);
      await unsafe.close();
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
