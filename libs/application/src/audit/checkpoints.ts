import { Injectable } from '@nestjs/common';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { EventStore } from '@app/event-store';
import { AppConfig } from '@app/platform/config';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { loadPublicKey, loadSigningKey, signCheckpoint, type SignedCheckpoint } from './checkpoint-signature';

/** An `audit_checkpoints` row as pg answers it (position as text, signed_at as a Date). */
export interface CheckpointRow {
  position: string;
  hash: string;
  signed_at: Date;
  reason: string;
  public_key: string;
  signature: string;
}

/** A checkpoint and where it was found: the table, or a file of the checkpoint directory. */
export interface SourcedCheckpoint {
  source: string;
  checkpoint: SignedCheckpoint;
}

/**
 * Signed heads of the chain, in a table and as files in AUDIT_CHECKPOINT_DIR. Whoever can rewrite the
 * database can rewrite the table too; the files (copied away) are what make a rewritten tail visible.
 */
@Injectable()
export class CheckpointStore {
  private key?: KeyObject;
  private trusted?: { pem: string | undefined };

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private configuredSigningKey(): string | undefined {
    return configuredSigningKey(this.config);
  }

  private signingKey(): KeyObject {
    if (this.key) return this.key;
    const pem = this.configuredSigningKey();
    // Without a configured key the process signs with one of its own: checkpoints still catch a cut
    // tail, but only a configured key lets an auditor trust who signed.
    this.key = pem ? loadSigningKey(pem) : generateKeyPairSync('ed25519').privateKey;
    return this.key;
  }

  /** Whether checkpoints are signed with a configured key, one an auditor can be given the public half of. */
  hasSigningKey(): boolean {
    return this.configuredSigningKey() !== undefined;
  }

  /** Signs the current head (nothing when the ledger is empty or the head is already signed). */
  async sign(reason: string): Promise<SignedCheckpoint | undefined> {
    return this.signHead(await this.store.head(), reason);
  }

  /**
   * Signs a head the caller read itself (a backup signs the head inside its snapshot, which may be behind
   * the live one). Nothing when that position is already signed.
   */
  async signHead(
    head: { position: number; hash: string },
    reason: string,
  ): Promise<SignedCheckpoint | undefined> {
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

  /**
   * The key checkpoint signatures are judged by: AUDIT_PUBLIC_KEY(_FILE), else the public half of the
   * configured signing key. Undefined when neither is configured; then a checkpoint can only be
   * checked against the key it carries itself, which proves integrity but not who signed it.
   */
  trustedPublicKey(): string | undefined {
    this.trusted ??= { pem: configuredPublicKey(this.config) };
    return this.trusted.pem;
  }

  /** The checkpoint at `position` in the table, if one was signed there. */
  async at(position: number): Promise<SignedCheckpoint | undefined> {
    return (await this.list(position)).at(0);
  }

  /** Every signed checkpoint with its signature, from the table and from the directory. */
  async signed(): Promise<SourcedCheckpoint[]> {
    const fromTable = (await this.list()).map((checkpoint) => ({ source: 'database', checkpoint }));
    const dir = this.config.AUDIT_CHECKPOINT_DIR;
    const fromFiles = dir ? await readCheckpointDir(dir, true) : [];
    return [...fromTable, ...fromFiles];
  }

  async list(position?: number): Promise<SignedCheckpoint[]> {
    const rows = await this.db.query<CheckpointRow>(
      `SELECT position, hash, signed_at, reason, public_key, signature FROM audit_checkpoints
        WHERE $1::bigint IS NULL OR position = $1 ORDER BY position`,
      [position ?? null],
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

const configuredSigningKey = (config: AppConfig): string | undefined =>
  config.AUDIT_SIGNING_KEY_FILE
    ? readFileSync(config.AUDIT_SIGNING_KEY_FILE, 'utf8')
    : config.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n');

/** AUDIT_PUBLIC_KEY(_FILE), else the public half of the configured signing key; undefined when neither is set. */
export function configuredPublicKey(config: AppConfig): string | undefined {
  const configured = config.AUDIT_PUBLIC_KEY_FILE
    ? readFileSync(config.AUDIT_PUBLIC_KEY_FILE, 'utf8')
    : (config.AUDIT_PUBLIC_KEY ?? configuredSigningKey(config));
  return configured ? loadPublicKey(configured) : undefined;
}

export async function writeCheckpointFile(dir: string, checkpoint: SignedCheckpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const name = `checkpoint-${String(checkpoint.position).padStart(12, '0')}.json`;
  const tmp = join(dir, `.${name}.tmp`);
  await writeFile(tmp, JSON.stringify(checkpoint, null, 2) + '\n', 'utf8');
  await rename(tmp, join(dir, name));
}

export async function readCheckpointDir(dir: string): Promise<SignedCheckpoint[]>;
export async function readCheckpointDir(dir: string, withSource: true): Promise<SourcedCheckpoint[]>;
export async function readCheckpointDir(
  dir: string,
  withSource = false,
): Promise<SignedCheckpoint[] | SourcedCheckpoint[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => /^checkpoint-\d+\.json$/.test(n)).sort();
  const read = await Promise.all(
    files.map(async (n) => ({
      source: `file:${n}`,
      checkpoint: parseCheckpointFile(n, await readFile(join(dir, n), 'utf8')),
    })),
  );
  return withSource ? read : read.map((r) => r.checkpoint);
}

function parseCheckpointFile(name: string, text: string): SignedCheckpoint {
  try {
    return JSON.parse(text) as SignedCheckpoint;
  } catch {
    throw new Error(`检查点文件 ${name} 不是合法的 JSON，请检查检查点目录`);
  }
}
