import * as pg from 'pg';
import { parameterText, sqlLiteral } from './sql-literal';

/** pg's own conversion, the oracle: what node-postgres sends for a parameter. */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils
  .prepareValue;

const dates = [
  new Date('2024-03-01T00:00:00.000Z'),
  new Date('2024-10-27T00:59:59.999Z'),
  new Date('0001-01-01T00:00:00.000Z'),
  new Date(-62198755200000), // year 0, i.e. 1 BC
];

const VALUES: [string, unknown][] = [
  ['plain text', 'U01'],
  ['quotes, backslashes, $1 and a semicolon', `O'Brien \\x00ff "q" $1 $$ -- ; 张三`],
  ['an empty string', ''],
  ['a line break and a tab', 'a\nb\tc'],
  ['an integer', 42],
  ['a negative fraction', -0.5],
  ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ['a bigint', 12345678901234567890n],
  ['true', true],
  ['false', false],
  ['NaN and Infinity', [NaN, Infinity, -Infinity]],
  ...dates.map((d): [string, unknown] => [`the date ${d.toISOString()}`, d]),
  ['text arrays with awkward elements', ['a,b', 'c"d', "e'f", 'g\\h', '{}', 'NULL', '', '😀']],
  ['arrays with nulls and numbers', [1, null, 2.5, undefined]],
  ['nested arrays', [[1, 2], [3, null], []]],
  ['an array of dates', dates],
  ['an array of objects (jsonb[])', [{ a: 1 }, { b: 'x"y' }, null]],
  ['an array of booleans', [true, false, null]],
  ['a plain object', { training: 1, nested: { list: [1, 'two', null] }, text: `it's` }],
  ['an object with a Date (toJSON)', { at: new Date('2024-03-01T00:00:00.000Z') }],
  ['an empty array', []],
];

describe('parameter text as node-postgres sends it', () => {
  it.each(VALUES)('%s', (_, value) => {
    expect(parameterText(value)).toBe(prepareValue(value));
  });

  it('writes dates in the local zone with its offset, whatever the zone (Node reads TZ when it changes)', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Asia/Shanghai', 'America/St_Johns', 'Asia/Kathmandu', 'Europe/Berlin']) {
        process.env.TZ = tz;
        for (const d of dates) expect([tz, parameterText(d)]).toEqual([tz, prepareValue(d)]);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('gives null for null and undefined, which the literal writes as NULL', () => {
    for (const value of [null, undefined]) {
      expect(parameterText(value)).toBe(prepareValue(value));
      expect(sqlLiteral(value)).toBe('NULL');
    }
  });

  it('writes a Buffer, which pg sends in binary, as bytea hex text (also inside arrays)', () => {
    const bytes = Buffer.from([0x00, 0x0a, 0xff, 0x27]);
    expect(prepareValue(bytes)).toBe(bytes);
    expect(parameterText(bytes)).toBe('\\x000aff27');
    expect(parameterText(new Uint8Array([1, 2]))).toBe('\\x0102');
    expect(parameterText([bytes, null])).toBe(prepareValue([bytes, null]));
  });

  it('refuses what it does not know how to write rather than guessing', () => {
    expect(() => parameterText({ toPostgres: () => 'x' })).toThrow(/toPostgres/);
    expect(() => parameterText(new Date(NaN))).toThrow(/invalid Date/);
  });

  it('quotes with escapeLiteral, so no value ends its literal early', () => {
    expect(sqlLiteral("b'; DROP TABLE events; --")).toBe(`'b''; DROP TABLE events; --'`);
    expect(sqlLiteral('a\\b')).toBe(` E'a\\\\b'`);
    expect(sqlLiteral(['x', "y'"])).toBe(`'{"x","y''"}'`);
    expect(sqlLiteral(7)).toBe(`'7'`);
  });
});
