import { escapeLiteral } from 'pg';

/**
 * The text node-postgres sends for a parameter of one of the kinds our projections and hooks pass, or
 * null for SQL NULL. It follows pg 8's own (unexported, undocumented) conversion so an inlined literal
 * means to PostgreSQL what the parameter would have meant:
 * - strings as they are; numbers, bigints and booleans by `toString()` (`true`, `NaN`, `Infinity`);
 * - Dates as local time with its UTC offset (`2024-03-01T08:00:00.000+08:00`): a `timestamp` column
 *   then keeps the wall-clock time, as it does with a parameter;
 * - Buffers and typed arrays (pg sends them in binary) as bytea's hex text, `\x0aff`;
 * - arrays as array literals (`{"a","b",NULL}`), nested arrays as nested literals;
 * - any other object as its JSON.
 * Functions, symbols, objects with `toPostgres` and invalid Dates are refused: nothing of ours passes them.
 */
export function parameterText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value.toString();
  if (typeof value !== 'object') throw new Error(`a ${typeof value} cannot be inlined`);
  if (ArrayBuffer.isView(value)) return `\\x${bytesOf(value).toString('hex')}`;
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) return arrayText(value);
  if (typeof (value as { toPostgres?: unknown }).toPostgres === 'function') {
    throw new Error('a parameter with toPostgres cannot be inlined');
  }
  return JSON.stringify(value);
}

/** The parameter as an SQL literal: NULL, or its text quoted and escaped (pg's documented escapeLiteral). */
export function sqlLiteral(value: unknown): string {
  const text = parameterText(value);
  return text === null ? 'NULL' : escapeLiteral(text);
}

function arrayText(values: readonly unknown[]): string {
  const items = values.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayText(item);
    // Inside an array literal the backslash of bytea's \x is itself escaped.
    if (ArrayBuffer.isView(item)) return `\\\\x${bytesOf(item).toString('hex')}`;
    const text = parameterText(item)!;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

const bytesOf = (view: ArrayBufferView): Buffer =>
  Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('an invalid Date cannot be inlined');
  let year = date.getFullYear();
  const bc = year < 1;
  // Year 0 is 1 BC: ISO counts a year zero, PostgreSQL does not.
  if (bc) year = Math.abs(year) + 1;
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${pad(year, 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}${zone}${bc ? ' BC' : ''}`
  );
}
