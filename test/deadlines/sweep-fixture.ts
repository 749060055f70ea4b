import { CheckpointStore } from '../../libs/application/src/audit/checkpoints';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { DeadlineSweep } from '../../libs/application/src/deadlines/deadline-sweep.service';
import { DueReports } from '../../libs/application/src/deadlines/due-reports';
import { EventStore } from '../../libs/event-store/src';
import type { ManualClock } from '../../libs/platform/src/clock';
import { loadConfig } from '../../libs/platform/src/config';
import { Database } from '../../libs/platform/src/database';

/**
 * A sweep as one worker process has it: its own pool and its own EventStore (own group-commit queue),
 * on the shared database. Two of these racing is two workers racing.
 */
export async function sweepProcess(url: string, clock: ManualClock) {
  const db = await Database.create({ url, role: 'skills_app', poolSize: 5 }).connect();
  const store = new EventStore(db);
  const executor = new CommandExecutor(store, clock);
  const checkpoints = new CheckpointStore(db, store, loadConfig(), clock);
  const sweep = new DeadlineSweep(new DueReports(db), executor, checkpoints, clock);
  return { db, store, executor, sweep, close: () => db.close() };
}
