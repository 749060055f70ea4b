import { Database } from '../../libs/platform/src/database';
import { EventStore } from '../../libs/event-store/src';
import { createTestDatabase } from './databases';

/** A private migrated database with the store on it, connected as the restricted application role. */
export async function ledgerFixture(poolSize = 8) {
  const database = await createTestDatabase();
  const db = await Database.create({ url: database.url, role: 'skills_app', poolSize }).connect();
  const owner = await Database.create({ url: database.url, poolSize: 2 }).connect();
  const store = new EventStore(db);
  return {
    url: database.url,
    db,
    owner,
    store,
    async close() {
      await db.close();
      await owner.close();
      await database.drop();
    },
  };
}

export const testActor = {
  userId: 'u-test',
  username: 'tester',
  role: 'province-admin',
  unitCode: 'province',
};
export const meta = (extra: Record<string, unknown> = {}) => ({
  actor: testActor,
  requestId: 'req-test',
  ...extra,
});
