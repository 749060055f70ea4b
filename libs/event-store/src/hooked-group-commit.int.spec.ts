import { Client } from 'pg';
import { ledgerFixture, meta } from '../../../test/support/ledger-fixture';
import type { AppendHook } from './append-batch';
import { VersionConflictError } from './errors';
import { EventStore } from './event-store';
import { verifyChain } from './verify';

const at = new Date('2024-03-01T00:00:00.000Z');

/** A hook as CommandExecutor passes one: a read-model row per event, in the append's transaction. */
const recordRow: AppendHook = async (tx, stored) => {
  for (const e of stored)
    await tx.query('INSERT INTO hook_rows (stream_id, stream_position, position) VALUES ($1, $2, $3)', [
      e.streamId,
      e.streamPosition,
      e.position,
    ]);
};

const append = (store: EventStore, stream: string, expectedVersion: number, hook: AppendHook = recordRow) =>
  store.append(stream, [{ type: 'Wrote', data: { stream } }], {
    expectedVersion,
    metadata: meta(),
    recordedAt: at,
    inTransaction: hook,
  });

describe('group commit of appends that carry an in-transaction hook', () => {
  let f: Awaited<ReturnType<typeof ledgerFixture>>;
  const rows = async () =>
    (await f.owner.query('SELECT stream_id, position FROM hook_rows ORDER BY position')).map(
      (r) => `${r.stream_id}@${r.position}`,
    );
  beforeEach(async () => {
    f = await ledgerFixture();
    await f.owner.query(
      `CREATE TABLE hook_rows (stream_id text, stream_position int, position bigint, PRIMARY KEY (stream_id, stream_position))`,
    );
    await f.owner.query('GRANT SELECT, INSERT ON hook_rows TO skills_app');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await f.close();
  });

  it('writes a batch of hooked appends, their hooks’ rows included, in one round trip on the remembered head', async () => {
    const store = new EventStore(f.db);
    await append(store, 'warm', 0);
    const sent = jest.spyOn(Client.prototype, 'query');
    // While this one is being written, the next eight queue up and go together in one batch.
    const inFlight = append(store, 'warm', 1);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((s) => append(store, s, 0)),
    );
    await inFlight;
    // One or two batches (depending on when the queue is drained), each one round trip: lock, head
    // check, events, the hooks' rows and COMMIT in a single simple query.
    const roundTrips = sent.mock.calls.map((c) => String(c[0]));
    expect(roundTrips.length).toBeLessThanOrEqual(2);
    for (const text of roundTrips) expect(text).toMatch(/^BEGIN;[\s\S]*INSERT INTO hook_rows[\s\S]*COMMIT$/);
    expect(results.map((r) => r.events[0].position)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await rows()).toEqual([
      'warm@1',
      'warm@2',
      'a@3',
      'b@4',
      'c@5',
      'd@6',
      'e@7',
      'f@8',
      'g@9',
      'h@10',
    ]);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 10 });
  });

  it('keeps a hook whose write fails in the database to its own append, and writes the others once', async () => {
    const store = new EventStore(f.db);
    await append(store, 'warm', 0);
    await f.owner.query(`INSERT INTO hook_rows VALUES ('taken', 1, 0)`);
    const results = await Promise.allSettled([
      append(store, 'warm', 1),
      append(store, 'p', 0),
      append(store, 'taken', 0),
      append(store, 'q', 0),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    expect(await rows()).toEqual(['taken@0', 'warm@1', 'warm@2', 'p@3', 'q@4']);
    expect(await f.store.readStream('taken')).toEqual([]);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 4 });
  });

  it('drops the events of an append whose hook throws before anything is sent, and chains the rest', async () => {
    const store = new EventStore(f.db);
    await append(store, 'warm', 0);
    const refuse: AppendHook = async () => {
      throw new Error('a read-model rule refuses');
    };
    const results = await Promise.allSettled([
      append(store, 'warm', 1),
      append(store, 'p', 0),
      append(store, 'x', 0, refuse),
      append(store, 'q', 0),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await f.store.readAll(0, 10)).map((e) => `${e.streamId}@${e.position}`)).toEqual([
      'warm@1',
      'warm@2',
      'p@3',
      'q@4',
    ]);
    expect(await rows()).toEqual(['warm@1', 'warm@2', 'p@3', 'q@4']);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 4 });
  });

  it('redoes a batch on the real head when another process appended, with each hook’s rows written once', async () => {
    const a = new EventStore(f.db);
    const b = new EventStore(f.db);
    await append(a, 's-a', 0);
    await append(b, 's-b', 0);
    await append(a, 's-a', 1);
    // b's memory of s-b is right but its head is not; a's stale expected version still loses.
    await expect(append(b, 's-a', 1)).rejects.toBeInstanceOf(VersionConflictError);
    await append(b, 's-b', 1);
    expect(await rows()).toEqual(['s-a@1', 's-b@2', 's-a@3', 's-b@4']);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 4 });
  });

  it('still serves a hook that reads inside the transaction, on a real connection', async () => {
    const store = new EventStore(f.db);
    await append(store, 'warm', 0);
    const countingHook: AppendHook = async (tx, stored) => {
      const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM hook_rows');
      await tx.query('INSERT INTO hook_rows VALUES ($1, $2, $3)', [stored[0].streamId, 1, 100 + n]);
    };
    await Promise.all([
      append(store, 'r1', 0, countingHook),
      append(store, 'r2', 0, countingHook),
      append(store, 'r3', 0),
    ]);
    expect(await rows()).toEqual(['warm@1', 'r3@4', 'r1@101', 'r2@102']);
    expect(await verifyChain(f.store.iterateAll())).toMatchObject({ ok: true, checked: 4 });
  });
});
