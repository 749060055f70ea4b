import { mergeWrites } from './deferred-sql';

const claim = (key: string) => ({
  sql: 'INSERT INTO idempotency_keys (user_id, key, created_at) VALUES ($1, $2, $3)',
  params: ['u', key, new Date('2024-03-01T00:00:00.000Z')],
});
const upsert = (unit: string, n: number | null) => ({
  sql: `INSERT INTO reports AS r (unit_code, figures) VALUES ($1, $2)
        ON CONFLICT (unit_code) DO UPDATE SET figures = EXCLUDED.figures`,
  params: [unit, n === null ? null : JSON.stringify({ n })],
});

describe('merging the single-row inserts of a batch’s hooks', () => {
  it('sends single-row inserts of one text as one multi-row insert, with escaped literals', () => {
    const statements = mergeWrites([
      claim('a'),
      upsert('U01', 1),
      claim("b'; DROP TABLE events; --"),
      upsert('U02', null),
    ]);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(
      /^INSERT INTO idempotency_keys\s*\(user_id, key, created_at\) VALUES \('u', 'a', '[^']+'\), \('u', 'b''; DROP TABLE events; --', '[^']+'\)$/,
    );
    expect(statements[1]).toContain(`VALUES ('U01', '{"n":1}'), ('U02', NULL)`);
    expect(statements[1]).toMatch(/ON CONFLICT \(unit_code\) DO UPDATE SET figures = EXCLUDED.figures$/);
  });

  it('never moves a write past another statement on its table', () => {
    const statements = mergeWrites([
      claim('a'),
      { sql: 'DELETE FROM idempotency_keys WHERE key = $1', params: ['a'] },
      claim('b'),
    ]);
    expect(statements).toEqual([
      expect.stringContaining(`('u', 'a',`),
      `DELETE FROM idempotency_keys WHERE key = 'a'`,
      expect.stringContaining(`('u', 'b',`),
    ]);
  });

  it('leaves statements it cannot merge as they are, parameters inlined', () => {
    const sql = 'UPDATE reports SET overdue = true WHERE unit_code = $1';
    expect(
      mergeWrites([
        { sql, params: ['U01'] },
        { sql, params: ['U02'] },
      ]),
    ).toEqual([
      `UPDATE reports SET overdue = true WHERE unit_code = 'U01'`,
      `UPDATE reports SET overdue = true WHERE unit_code = 'U02'`,
    ]);
  });
});
