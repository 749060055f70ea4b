import { randomUUID } from 'node:crypto';
import { EventStore, VersionConflictError, verifyChain } from '@app/event-store';
import { Database } from '@app/platform/database';
import { createTestDatabase } from '../support/databases';
import { cycles, localCluster, sleep, untilAnswers } from './chaos-mode';

/**
 * 4 writers append while PostgreSQL is killed (`stop -m immediate`) and restarted. Afterwards every
 * acknowledged event is there, none twice, and the chain verifies. A write whose outcome the writer
 * could not learn (the crash cut the answer) is resolved by reading the stream, never by blind retry.
 */
const cluster = localCluster();
const CYCLES = cycles(20, 3);
const maybe = cluster ? describe : describe.skip;
if (!cluster) console.warn('postgres-crash: skipped (needs root and a local pg_ctlcluster)');

maybe('PostgreSQL crashes under 4 writers', () => {
  it(`loses no acknowledged event and doubles none across ${CYCLES} crash cycles`, async () => {
    const database = await createTestDatabase();
    const db = await Database.create({ url: database.url, role: 'skills_app', poolSize: 6 }).connect();
    const store = new EventStore(db);
    const acknowledged = new Map<string, string>();
    let running = true;
    let unknownOutcomes = 0;

    const writer = async (w: number) => {
      const streamId = `crash-${w}`;
      let version = 0;
      while (running) {
        const id = randomUUID();
        try {
          const result = await store.append(streamId, [{ type: 'Wrote', data: { id, w } }], {
            expectedVersion: version,
            metadata: { actor: { userId: 'w', username: 'w', role: 'system', unitCode: 'province' } },
            recordedAt: new Date(),
          });
          version = result.version;
          acknowledged.set(id, streamId);
        } catch (error) {
          if (error instanceof VersionConflictError) throw error;
          // The outcome is unknown: learn it from the stream once the database answers again.
          unknownOutcomes += 1;
          const events = await untilAnswersWith(() => store.readStream(streamId));
          version = events.length;
        }
      }
    };

    const writers = [0, 1, 2, 3].map(writer);
    for (let i = 0; i < CYCLES; i++) {
      await sleep(300 + Math.random() * 500);
      cluster!.stop();
      await sleep(200);
      cluster!.start();
      await untilAnswers(() => db.query('SELECT 1'));
    }
    await sleep(300);
    running = false;
    await Promise.all(writers);

    const stored = await db.query<{ id: string; stream_id: string }>(
      `SELECT data->>'id' AS id, stream_id FROM events`,
    );
    const counts = new Map<string, number>();
    for (const row of stored) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
    const lost = [...acknowledged.keys()].filter((id) => !counts.has(id));
    const doubled = [...counts.entries()].filter(([, n]) => n > 1);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(stored.length - acknowledged.size).toBeLessThanOrEqual(unknownOutcomes);
    expect((await verifyChain(store.iterateAll())).ok).toBe(true);
    console.log(
      `postgres-crash: ${CYCLES} cycles, ${acknowledged.size} acknowledged, ${stored.length} stored, ${unknownOutcomes} unknown outcomes resolved, 0 lost, 0 doubled`,
    );
    await db.close();
    await database.drop();
  });
});

async function untilAnswersWith<T>(read: () => Promise<T>): Promise<T> {
  let result: T | undefined;
  await untilAnswers(async () => {
    result = await read();
  });
  return result!;
}
