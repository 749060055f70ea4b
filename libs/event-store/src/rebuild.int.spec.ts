import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { applyInline, rebuildProjections, type Projection } from './projection';

const at = new Date('2024-03-01T00:00:00.000Z');

/** Values a parameter carries without trouble and an inlined literal must carry just the same. */
const AWKWARD = [
  { text: 'O\'Brien said \\"hi\\"', tags: ['a,b', 'c"d', "e'f", 'g\\h', '{}', 'NULL'], n: -42, flag: true },
  { text: '张三 \\x00ff $1 $$ -- /* */ ;', tags: [], n: 9007199254740991, flag: false },
  { text: 'line\nbreak\ttab', tags: ['😀', ''], n: 0.5, flag: null },
  { text: null, tags: null, n: null, flag: true },
];

const recorder: Projection = {
  name: 'recorder',
  handles: ['Noted'],
  tables: ['bench_notes'],
  async apply(tx, event) {
    const d = event.data as (typeof AWKWARD)[number];
    await tx.query(
      `INSERT INTO bench_notes (position, text, tags, n, flag, doc, at) VALUES ($1, $2, $3::text[], $4, $5, $6, $7)`,
      [event.position, d.text, d.tags, d.n, d.flag, JSON.stringify(d), new Date(event.recordedAt)],
    );
    // A read in the middle of a rebuild sees every write before it.
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_notes');
    await tx.query('UPDATE bench_notes SET seen = $2 WHERE position = $1', [event.position, row.n]);
  },
};

describe('rebuilding projections', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeEach(async () => {
    f = await ledgerFixture();
    await f.owner.query(
      `CREATE TABLE bench_notes (position bigint PRIMARY KEY, text text, tags text[], n numeric, flag boolean,
         doc jsonb, at timestamptz, seen int)`,
    );
    for (const [i, data] of AWKWARD.entries()) {
      await f.store.append('notes', [{ type: 'Noted', data }], {
        expectedVersion: i,
        metadata: meta(),
        recordedAt: at,
        inTransaction: (tx, events) => applyInline([recorder], tx, events),
      });
    }
  });
  afterEach(async () => {
    await f.close();
  });

  const snapshot = () => f.owner.query('SELECT * FROM bench_notes ORDER BY position');

  it('writes exactly the rows the projection writes event by event, awkward values included', async () => {
    const inline = await snapshot();
    expect(inline).toHaveLength(AWKWARD.length);
    const result = await rebuildProjections(f.db, [recorder], [], () => at);
    expect(result.events).toBe(AWKWARD.length);
    expect(await snapshot()).toEqual(inline);
    expect(inline.map((r) => r.seen)).toEqual([1, 2, 3, 4]);
    expect(inline[0].tags).toEqual(AWKWARD[0].tags);
    expect(inline[1].text).toBe(AWKWARD[1].text);
  });

  it('fails as a whole when a write fails, leaving the read model as it was', async () => {
    const before = await snapshot();
    const broken: Projection = {
      ...recorder,
      async apply(tx, event) {
        await tx.query('INSERT INTO bench_notes (position) VALUES ($1)', [
          event.position === 3 ? 1 : event.position,
        ]);
      },
    };
    await expect(rebuildProjections(f.db, [broken], [], () => at)).rejects.toThrow(/duplicate key/);
    expect(await snapshot()).toEqual(before);
  });
});
