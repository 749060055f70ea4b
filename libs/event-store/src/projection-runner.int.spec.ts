import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { ProjectionRunner, type Projection } from './projection';

const at = new Date('2024-03-01T00:00:00.000Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The projection runner over the real store: catching up under concurrent writers, crashes, bad events. */
describe('event store on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeEach(async () => (f = await ledgerFixture()));
  afterEach(() => f.close());

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
});
