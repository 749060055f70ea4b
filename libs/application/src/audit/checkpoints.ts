import { Injectable } from '@nestjs/common';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { EventStore, type Checkpoint } from '@app/event-store';
import { AppConfig } from '@app/platform/config';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { loadSigningKey, signCheckpoint, type SignedCheckpoint } from './checkpoint-signature';

/**
 * Signed heads of the chain, in a table and as files in AUDIT_CHECKPOINT_DIR. Whoever can rewrite the
 * database can rewrite the table too; the files (copied away) are what make a rewritten tail visible.
 */
@Injectable()
export class CheckpointStore {
  private key?: KeyObject;

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private signingKey(): KeyObject {
    if (this.key) return this.key;
    const pem = this.config.AUDIT_SIGNING_KEY_FILE
      ? readFileSync(this.config.AUDIT_SIGNING_KEY_FILE, 'utf8')
      : this.config.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n');
    // Without a configured key the process signs with one of its own: checkpoints still catch a cut
    // tail, but only a configured key lets an auditor trust who signed.
    this.key = pem ? loadSigningKey(pem) : generateKeyPairSync('ed25519').privateKey;
    return this.key;
  }

  /** Signs the current head (nothing when the ledger is empty or the head is already signed). */
  async sign(reason: string): Promise<SignedCheckpoint | undefined> {
    const head = await this.store.head();
    if (head.position === 0) return undefined;
    const checkpoint = signCheckpoint(this.signingKey(), head, this.clock.now(), reason);
    const inserted = await this.db.query(
      `INSERT INTO audit_checkpoints (position, hash, signed_at, reason, public_key, signature)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (position) DO NOTHING RETURNING position`,
      [
        checkpoint.position,
        checkpoint.hash,
        checkpoint.signedAt,
        reason,
        checkpoint.publicKey,
        checkpoint.signature,
      ],
    );
    if (inserted.length === 0) return undefined;
    if (this.config.AUDIT_CHECKPOINT_DIR)
      await writeCheckpointFile(this.config.AUDIT_CHECKPOINT_DIR, checkpoint);
    return checkpoint;
  }

  /** Every checkpoint known, from the table and from the directory, for verification. */
  async all(): Promise<Checkpoint[]> {
    const rows = await this.db.query<{ position: string; hash: string }>(
      'SELECT position, hash FROM audit_checkpoints',
    );
    const fromTable = rows.map((r) => ({ position: Number(r.position), hash: r.hash }));
    const fromFiles = this.config.AUDIT_CHECKPOINT_DIR
      ? await readCheckpointDir(this.config.AUDIT_CHECKPOINT_DIR)
      : [];
    return [...fromTable, ...fromFiles.map((c) => ({ position: c.position, hash: c.hash }))];
  }

  async list(): Promise<SignedCheckpoint[]> {
    const rows = await this.db.query(
      'SELECT position, hash, signed_at, reason, public_key, signature FROM audit_checkpoints ORDER BY position',
    );
    return rows.map((r) => ({
      position: Number(r.position),
      hash: r.hash,
      signedAt: new Date(r.signed_at).toISOString(),
      reason: r.reason,
      publicKey: r.public_key,
      signature: r.signature,
    }));
  }
}

export async function writeCheckpointFile(dir: string, checkpoint: SignedCheckpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const name = `checkpoint-${String(checkpoint.position).padStart(12, '0')}.json`;
  const tmp = join(dir, `.${name}.tmp`);
  await writeFile(tmp, JSON.stringify(checkpoint, null, 2) + '\n', 'utf8');
  await rename(tmp, join(dir, name));
}

export async function readCheckpointDir(dir: string): Promise<SignedCheckpoint[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => /^checkpoint-\d+\.json$/.test(n)).sort();
  return Promise.all(
    files.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as SignedCheckpoint),
  );
}
