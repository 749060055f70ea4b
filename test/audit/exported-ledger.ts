import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredEvent } from '../../libs/event-store/src';
import { loadSigningKey, signCheckpoint } from '../../libs/application/src/audit/checkpoint-signature';
import { writeCheckpointFile } from '../../libs/application/src/audit/checkpoints';
import { ledgerFixture, meta } from '../support/ledger-fixture';
import { runLedger, tempDir } from './support';

export const at = new Date('2024-04-30T08:00:00.000Z');
export const EVENTS = 12;

export const event = (line: string): StoredEvent => JSON.parse(line);

/**
 * What an auditor takes away: a ledger of EVENTS events exported with `ledger export` to `exported`
 * (and read into `lines`), a key pair made by `ledger keygen`, and checkpoints at positions 4 and 9
 * signed with it. The database stays open, as the `ledger checkpoints` test reads it.
 */
export async function exportedLedger() {
  const f = await ledgerFixture(4);
  const dir = await tempDir();
  for (let i = 1; i <= EVENTS; i++) {
    await f.store.append(
      `report-R0${i % 3}-2024-03`,
      [
        {
          type: 'FiguresEntered',
          data: { figures: { training: i * 100, certified: i }, note: `第${i}次填报` },
        },
      ],
      { expectedVersion: 'any', metadata: meta(), recordedAt: new Date(at.getTime() + i * 60_000) },
    );
  }
  const keygen = await runLedger(['keygen', join(dir.path, 'keys')]);
  expect(keygen.code).toBe(0);
  const publicKey = join(dir.path, 'keys', 'audit-public-key.pem');
  const signingKey = loadSigningKey(await readFile(join(dir.path, 'keys', 'audit-signing-key.pem'), 'utf8'));
  const checkpoints = join(dir.path, 'checkpoints');
  for (const position of [4, 9]) {
    const [row] = await f.db.query<{ hash: string }>('SELECT hash FROM events WHERE position = $1', [
      position,
    ]);
    await writeCheckpointFile(
      checkpoints,
      signCheckpoint(signingKey, { position, hash: row.hash }, at, 'test'),
    );
  }
  const exported = join(dir.path, 'ledger.ndjson');
  const result = await runLedger(['export', '--out', exported], { env: { DATABASE_URL: f.url } });
  expect(result.code).toBe(0);
  const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
  const close = () => f.close().then(() => dir.remove());
  return { f, dir, exported, lines, publicKey, checkpoints, close };
}
