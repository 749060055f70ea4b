import { ledgerFixture } from '../support/ledger-fixture';

jest.setTimeout(60_000);

/** Checkpoints prove the ledger was not rewritten; the application role may add them, never change them. */
describe('audit_checkpoints for the application role', () => {
  let ledger: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeAll(async () => {
    ledger = await ledgerFixture(2);
  });
  afterAll(() => ledger.close());

  const denied = (sql: string) =>
    expect(ledger.db.query(sql)).rejects.toMatchObject({ code: '42501' /* insufficient_privilege */ });

  it('may insert and read a checkpoint', async () => {
    await ledger.db.query(
      `INSERT INTO audit_checkpoints (position, hash, signed_at, reason, public_key, signature)
       VALUES (1, repeat('a', 64), now(), 'test', 'key', 'sig')`,
    );
    expect(await ledger.db.query('SELECT position FROM audit_checkpoints')).toEqual([{ position: '1' }]);
  });

  it('may not update, delete or truncate one', async () => {
    await denied(`UPDATE audit_checkpoints SET hash = repeat('b', 64)`);
    await denied('DELETE FROM audit_checkpoints');
    await denied('TRUNCATE audit_checkpoints');
    const [row] = await ledger.owner.query('SELECT hash FROM audit_checkpoints');
    expect(row.hash).toBe('a'.repeat(64));
  });
});
