import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { verifyChain } from './verify';

const at = new Date('2024-05-01T00:00:00.000Z');

/** Someone with database access rewrites history: triggers off, then one mutation. */
async function tamper(f: Awaited<ReturnType<typeof ledgerFixture>>, ...sql: string[]) {
  await f.owner.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const statement of sql) await tx.query(statement);
  });
}

describe('verifying the ledger', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeEach(async () => {
    f = await ledgerFixture(4);
    for (let i = 0; i < 10; i++) {
      await f.store.append(`s-${i % 3}`, [{ type: 'Wrote', data: { i, figures: { training: i * 10 } } }], {
        expectedVersion: 'any',
        metadata: meta(),
        recordedAt: at,
      });
    }
  });
  afterEach(() => f.close());

  it('passes a clean log', async () => {
    expect(await verifyChain(f.store.iterateAll(3))).toMatchObject({
      ok: true,
      checked: 10,
      firstInvalid: null,
    });
  });

  it('names an edited payload at its position', async () => {
    await tamper(
      f,
      `UPDATE events SET data = jsonb_set(data, '{figures,training}', '71') WHERE position = 4`,
    );
    expect((await verifyChain(f.store.iterateAll(3))).firstInvalid).toMatchObject({
      position: 4,
      reason: 'content-edited',
    });
  });

  it('names a deleted row at its position', async () => {
    await tamper(f, `DELETE FROM events WHERE position = 6`);
    expect((await verifyChain(f.store.iterateAll(3))).firstInvalid).toMatchObject({
      position: 6,
      reason: 'missing-position',
    });
  });

  it('names two swapped rows at the first of them', async () => {
    await tamper(
      f,
      `UPDATE events SET position = 1000003 WHERE position = 3`,
      `UPDATE events SET position = 3 WHERE position = 8`,
      `UPDATE events SET position = 8 WHERE position = 1000003`,
    );
    expect((await verifyChain(f.store.iterateAll(3))).firstInvalid).toMatchObject({
      position: 3,
      reason: 'reordered',
    });
  });

  it('names a forged row that does not link to the chain', async () => {
    await tamper(
      f,
      `INSERT INTO events SELECT 11, stream_id, stream_position + 100, type, schema_version, data, metadata, recorded_at,
              prev_hash, hash FROM events WHERE position = 2`,
    );
    expect((await verifyChain(f.store.iterateAll(3))).firstInvalid).toMatchObject({ position: 11 });
  });

  it('catches a cut tail through a checkpoint', async () => {
    const head = await f.store.head();
    await tamper(f, `DELETE FROM events WHERE position > 7`);
    const result = await verifyChain(f.store.iterateAll(3), [head]);
    expect(result.firstInvalid).toMatchObject({ reason: 'truncated' });
    expect(result.ok).toBe(false);
  });

  it('catches a rewritten history re-hashed from scratch through a checkpoint', async () => {
    const [{ hash }] = await f.db.query<{ hash: string }>('SELECT hash FROM events WHERE position = 5');
    await tamper(f, `UPDATE events SET hash = repeat('a', 64) WHERE position = 5`);
    const result = await verifyChain(f.store.iterateAll(3), [{ position: 5, hash }]);
    expect(result.ok).toBe(false);
  });
});
