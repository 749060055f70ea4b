import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import { VersionConflictError } from './errors';
import { EventStore } from './event-store';
import { verifyChain } from './verify';

const at = new Date('2024-03-01T00:00:00.000Z');
const append = (store: EventStore, stream: string, expectedVersion: number, n = 1) =>
  store.append(
    stream,
    Array.from({ length: n }, (_, i) => ({ type: 'Wrote', data: { i } })),
    { expectedVersion, metadata: meta(), recordedAt: at },
  );

describe('appending on the head a store remembers', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  beforeEach(async () => {
    f = await ledgerFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('notices another process appended in between and chains onto the real head', async () => {
    const a = new EventStore(f.db);
    const b = new EventStore(f.db);
    await append(a, 's-a', 0);
    await append(b, 's-b', 0, 3);
    await append(a, 's-a', 1);
    await append(a, 's-a', 2);
    const result = await verifyChain(f.store.iterateAll());
    expect(result).toMatchObject({ ok: true, checked: 6 });
    expect((await f.store.readStream('s-a')).map((e) => e.position)).toEqual([1, 5, 6]);
  });

  it('refuses a stale expected version after another process wrote to the same stream', async () => {
    const a = new EventStore(f.db);
    const b = new EventStore(f.db);
    await append(a, 'shared', 0);
    await append(b, 'shared', 1);
    await expect(append(a, 'shared', 1)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(append(a, 'new', 3)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await append(a, 'shared', 2)).version).toBe(3);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 3 });
  });

  it('keeps each stream’s own check inside one remembered-head batch', async () => {
    const a = new EventStore(f.db);
    await append(a, 'warm', 0);
    // While this one is being written, the next five queue up and go together in one batch.
    const inFlight = append(a, 'warm', 1);
    const attempts = await Promise.allSettled([
      inFlight,
      append(a, 'x', 0),
      append(a, 'x', 0),
      append(a, 'y', 0, 2),
      append(a, 'x', 1),
      append(a, 'z', 5),
    ]);
    expect(attempts.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((await f.store.readStream('x')).map((e) => e.streamPosition)).toEqual([1, 2]);
    expect(await f.store.readStream('z')).toEqual([]);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 6 });
  });

  it('writes a batch on the remembered head in one go when nothing else wrote', async () => {
    const a = new EventStore(f.db);
    await append(a, 'warm', 0);
    const inFlight = append(a, 'warm', 1);
    const results = await Promise.all([inFlight, append(a, 'p', 0), append(a, 'q', 0, 3), append(a, 'p', 1)]);
    expect(results.map((r) => r.version)).toEqual([2, 1, 3, 2]);
    expect((await f.store.readStream('p')).map((e) => e.position)).toEqual([3, 7]);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 7 });
  });
});
