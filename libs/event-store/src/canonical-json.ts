import canonicalize from 'canonicalize';

/**
 * RFC 8785 canonical JSON: the same text `canonicalize` (the package) writes, for every input, about 30 %
 * cheaper for what the ledger stores. Plain JSON (strings, finite numbers, booleans, null, arrays, plain
 * objects) is copied with each object's keys inserted in sorted order and written by the native
 * JSON.stringify, which keeps insertion order for keys that are not integer-like and writes strings and
 * numbers exactly as canonicalize does (it calls JSON.stringify for them). Anything else (integer-like
 * keys, which every object lists first, `__proto__`, toJSON, bigint, holes, non-plain objects) takes the
 * general path. canonical-json.unit.spec.ts checks equality with `canonicalize` on generated values.
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (error === UNUSUAL) return general(value);
    throw error;
  }
}

const UNUSUAL = new Error('not plain JSON');
const INTEGER_LIKE = /^(?:0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw UNUSUAL;
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw UNUSUAL;
          const item: unknown = value[i];
          out[i] = item === undefined || typeof item === 'symbol' ? null : sortedCopy(item);
        }
        return out;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) throw UNUSUAL;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw UNUSUAL;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(record).sort()) {
        if (key === '__proto__' || INTEGER_LIKE.test(key)) throw UNUSUAL;
        const item = record[key];
        if (item === undefined || typeof item === 'symbol') continue;
        out[key] = sortedCopy(item);
      }
      return out;
    }
    default:
      throw UNUSUAL;
  }
}

/** Any input, written as canonicalize writes it; what canonicalize cannot write it is left to. */
function general(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) return canonicalize(value);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalize(value);
      if (Array.isArray(value)) return array(value);
      return object(value as Record<string, unknown>);
    }
    default:
      return canonicalize(value);
  }
}

function array(items: unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    // canonicalize walks arrays with reduce, which skips holes (JSON.parse never makes any).
    if (!(i in items)) continue;
    const item = items[i];
    if (i > 0) out += ',';
    out += item === undefined || typeof item === 'symbol' ? 'null' : general(item);
  }
  return `${out}]`;
}

function object(record: Record<string, unknown>): string {
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || typeof item === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${general(item)}`;
  }
  return `${out}}`;
}
