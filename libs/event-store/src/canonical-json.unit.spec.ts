import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** Both give the same text, or both refuse. */
const same = (value: unknown) => {
  let expected: { text?: string; threw?: boolean };
  try {
    expected = { text: canonicalize(value) };
  } catch {
    expected = { threw: true };
  }
  let actual: { text?: string; threw?: boolean };
  try {
    actual = { text: canonicalJson(value) };
  } catch {
    actual = { threw: true };
  }
  expect(actual).toEqual(expected);
};

describe('canonical JSON for hashing', () => {
  it('writes exactly what canonicalize writes for any JSON value, as stored and read back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        same(value);
        same(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes exactly what canonicalize writes for event-shaped values with unicode keys and extreme numbers', () => {
    const text = fc.string({ unit: 'binary' });
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.constant(-0),
    );
    const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', maxDepth: 4 },
        leaf,
        fc.array(tie('node')),
        fc.dictionary(text, tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(
        fc.record({ position: fc.nat(), streamId: text, type: text, data: tree, metadata: tree }),
        same,
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with canonicalize on anything else too: undefined, symbols, holes, toJSON, NaN, bigint', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
        }),
        same,
      ),
      {
        numRuns: 1000,
      },
    );
    const inner = [1, 0, 2];
    delete inner[1];
    const leading = [0, 1];
    delete leading[0];
    for (const odd of [
      undefined,
      NaN,
      Infinity,
      inner,
      leading,
      { a: undefined, b: Symbol('s') },
      [undefined, Symbol('s')],
      new Date(0),
      () => 1,
      { f: () => 1 },
      10n,
    ])
      same(odd);
  });
});
