import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeyPair } from '../../libs/application/src/audit/checkpoint-signature';
import { Database } from '../../libs/platform/src/database';
import { startApp } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { tempDir } from './support';

const AUDIT_ENV = [
  'AUDIT_SIGNING_KEY_FILE',
  'AUDIT_CHECKPOINT_DIR',
  'AUDIT_PUBLIC_KEY',
  'AUDIT_PUBLIC_KEY_FILE',
];

/**
 * The API with a signing key and a checkpoint folder of its own (the AUDIT_* settings are put back on
 * close), the 2024 plan published on 1 March, an auditor and a region operator created on the 2nd and two
 * fillers on the 3rd. `owner` connects as the database owner, to tamper behind the service's back.
 */
export async function auditApp() {
  const saved: Record<string, string | undefined> = {};
  const dir = await tempDir();
  const keyFile = join(dir.path, 'signing.pem');
  await writeFile(keyFile, generateSigningKeyPair().privateKeyPem);
  const checkpointDir = join(dir.path, 'checkpoints');
  for (const name of AUDIT_ENV) saved[name] = process.env[name];
  delete process.env.AUDIT_PUBLIC_KEY;
  delete process.env.AUDIT_PUBLIC_KEY_FILE;
  process.env.AUDIT_SIGNING_KEY_FILE = keyFile;
  process.env.AUDIT_CHECKPOINT_DIR = checkpointDir;
  const h = await startApp({ now: '2024-03-01T01:00:00.000Z' });
  const owner = await Database.create({ url: process.env.DATABASE_URL!, poolSize: 1 }).connect();
  const admin = await h.token('admin');
  await publishPlan2024(h);
  h.clock.set('2024-03-02T01:00:00.000Z');
  const auditor = await h.user('auditor1', 'auditor', 'province');
  const operator = await h.user('zz-op', 'region-operator', 'R01');
  h.clock.set('2024-03-03T01:00:00.000Z');
  const filler = await h.user('u01-filler', 'filler', 'U01');
  await h.user('u02-filler', 'filler', 'U02');
  const eventCount = async () => Number((await h.db.query('SELECT count(*) AS n FROM events'))[0].n);
  const close = async () => {
    await owner.close();
    await h.close();
    await dir.remove();
    for (const name of AUDIT_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  };
  return { h, checkpointDir, owner, admin, auditor, filler, operator, eventCount, close };
}
