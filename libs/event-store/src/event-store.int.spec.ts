import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { VersionConflictError, UnstorableEventError } from './errors';
import { GENESIS_HASH } from './hash';
import { verifyChain } from './verify';

const at = new Date('2024-03-01T00:00:00.000Z');

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
