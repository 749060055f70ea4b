import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '@app/application/read-models/registry';
import { EventStore, rebuildProjections, verifyChain } from '@app/event-store';
import { SystemClock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { seedLedger } from './ledger-data';
import { elapsedMs, now, round } from './stats';

export interface RebuildFigures {
  rebuild: {
    events: number;
    eventsPerSec: number;
    projections: string[];
    deadLetters: number;
    seconds: number;
  };
  verify: { events: number; eventsPerSec: number; ok: boolean; seconds: number };
  seed: { events: number; units: number; schools: number; reports: number; eventsPerSec: number };
}

/**
 * Seeds a year of realistic events through the EventStore (big concurrent batches, group commit), then
 * times a full rebuild of every registered projection and a verification of the whole hash chain.
 */
export async function rebuildAndVerify(
  url: string,
  targetEvents: number,
  log: (line: string) => void,
): Promise<RebuildFigures> {
  const db = await Database.create({ url, role: 'skills_app', applicationName: 'skills-bench' }).connect();
  try {
    const store = new EventStore(db);
    const seedStart = now();
    const seeded = await seedLedger(store, targetEvents, log);
    const seedMs = elapsedMs(seedStart);
    log(`  seeded ${seeded.events} events in ${round(seedMs / 1000, 1)} s`);
    await db.query('ANALYZE events').catch(() => undefined);

    const clock = new SystemClock();
    const all = [...INLINE_PROJECTIONS, ...ASYNC_PROJECTIONS];
    const rebuildStart = now();
    const rebuilt = await rebuildProjections(db, INLINE_PROJECTIONS, ASYNC_PROJECTIONS, () => clock.now());
    const rebuildMs = elapsedMs(rebuildStart);
    const [dead] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_dead_letters');
    log(
      `  rebuilt ${all.length} projections from ${rebuilt.events} events in ${round(rebuildMs / 1000, 1)} s`,
    );

    const verifyStart = now();
    const verified = await verifyChain(store.iterateAll());
    const verifyMs = elapsedMs(verifyStart);
    log(`  verified ${verified.checked} events in ${round(verifyMs / 1000, 1)} s (ok: ${verified.ok})`);

    return {
      seed: { ...seeded, eventsPerSec: round((seeded.events * 1000) / seedMs) },
      rebuild: {
        events: rebuilt.events,
        eventsPerSec: round((rebuilt.events * 1000) / rebuildMs),
        projections: all.map((p) => p.name),
        deadLetters: dead.n,
        seconds: round(rebuildMs / 1000, 2),
      },
      verify: {
        events: verified.checked,
        eventsPerSec: round((verified.checked * 1000) / verifyMs),
        ok: verified.ok,
        seconds: round(verifyMs / 1000, 2),
      },
    };
  } finally {
    await db.close();
  }
}
