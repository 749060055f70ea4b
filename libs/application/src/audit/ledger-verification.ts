import { type ChainFault, type StoredEvent, verifyChain, type VerificationResult } from '@app/event-store';
import { checkpointSignatureValid } from './checkpoint-signature';
import type { SourcedCheckpoint } from './checkpoints';

export type LedgerFault = ChainFault | 'extra-position' | 'malformed-line' | 'forged-checkpoint';

export interface CheckpointFinding {
  position: number;
  source: string;
  detail: string;
}

export interface LedgerVerification extends Omit<VerificationResult, 'firstInvalid'> {
  firstInvalid: { position: number; reason: LedgerFault; detail: string } | null;
  checkpoints: {
    /** Checkpoints found (table and files). */
    total: number;
    /** Whose signature held and which were therefore compared with the chain. */
    trusted: number;
    /**
     * `trusted-key`: judged by the configured public key. `embedded-key`: no key was configured, so
     * each was judged by the key it carries (catches an edited checkpoint, not a re-signed one).
     */
    signatures: 'trusted-key' | 'embedded-key';
    forged: CheckpointFinding[];
  };
}

/** A line of an exported ledger that is not an event; the verifier reports it instead of crashing. */
export class MalformedLineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`第 ${line} 行不是合法的账本事件：${reason}`);
  }
}

export interface LedgerVerificationOptions {
  /** The key auditors trust; without it checkpoints are judged by the key they carry. */
  publicKeyPem?: string;
  /**
   * After a gap, read on to tell a reordering (the missing position turns up later) from a deletion.
   * Pointless on the live table, which is always read in position order.
   */
  lookAhead?: boolean;
}

/**
 * verifyChain plus what an auditor needs on top: checkpoint signatures (a forged checkpoint is reported,
 * never trusted), and finer names for what went wrong in an exported file (an extra line, lines out of
 * order, a line that is not JSON). Holds one event at a time, like verifyChain.
 */
export async function verifyLedger(
  events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>,
  checkpoints: SourcedCheckpoint[],
  options: LedgerVerificationOptions = {},
): Promise<LedgerVerification> {
  const forged: CheckpointFinding[] = [];
  const trusted = checkpoints.filter(({ source, checkpoint }) => {
    const problem = checkpointProblem(checkpoint, options.publicKeyPem);
    if (problem) forged.push({ position: Number(checkpoint?.position) || 0, source, detail: problem });
    return !problem;
  });

  const source = new PeekableSource(events);
  const chain = await verifyChain(
    source,
    trusted.map(({ checkpoint }) => ({ position: checkpoint.position, hash: checkpoint.hash })),
  );
  let firstInvalid: LedgerVerification['firstInvalid'] = chain.firstInvalid;
  if (source.malformed && (!firstInvalid || firstInvalid.reason === 'truncated')) {
    firstInvalid = {
      position: chain.head.position + 1,
      reason: 'malformed-line',
      detail: source.malformed.message,
    };
  } else if (firstInvalid) {
    firstInvalid = await refine(firstInvalid, chain.head.position, source, options.lookAhead ?? true);
  }
  const forgery = [...forged].sort((a, b) => a.position - b.position)[0];
  if (forgery && (!firstInvalid || forgery.position < firstInvalid.position)) {
    firstInvalid = { position: forgery.position, reason: 'forged-checkpoint', detail: forgery.detail };
  }
  await source.close();
  return {
    ok: firstInvalid === null,
    checked: chain.checked,
    head: chain.head,
    firstInvalid,
    checkpoints: {
      total: checkpoints.length,
      trusted: trusted.length,
      signatures: options.publicKeyPem ? 'trusted-key' : 'embedded-key',
      forged,
    },
  };
}

function checkpointProblem(c: SourcedCheckpoint['checkpoint'], publicKeyPem?: string): string | undefined {
  const wellFormed =
    c !== null &&
    typeof c === 'object' &&
    Number.isSafeInteger(c.position) &&
    c.position > 0 &&
    typeof c.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.hash) &&
    typeof c.signedAt === 'string' &&
    typeof c.signature === 'string';
  if (!wellFormed) return '检查点格式不正确（缺少位置、哈希、签名时间或签名）';
  const key = publicKeyPem ?? (typeof c.publicKey === 'string' ? c.publicKey : undefined);
  if (!key || !checkpointSignatureValid(c, key)) {
    return publicKeyPem
      ? `第 ${c.position} 条的检查点签名与受信任的公钥不符（伪造或被改动）`
      : `第 ${c.position} 条的检查点签名与其自带公钥不符（被改动）`;
  }
  return undefined;
}

/**
 * verifyChain sees a file line by line and stops at the first fault. Two of its answers can be named
 * better: a position it has already passed is a line too many; a gap whose position turns up later is
 * a reordering rather than a deletion.
 */
async function refine(
  fault: NonNullable<LedgerVerification['firstInvalid']>,
  head: number,
  source: PeekableSource,
  lookAhead: boolean,
): Promise<NonNullable<LedgerVerification['firstInvalid']>> {
  if (fault.reason === 'reordered' && fault.position <= head) {
    return {
      position: fault.position,
      reason: 'extra-position',
      detail: `第 ${fault.position} 条事件出现了两次（在第 ${head} 条之后多出一条）`,
    };
  }
  if (fault.reason === 'missing-position' && lookAhead && (await source.seek(fault.position))) {
    return {
      position: fault.position,
      reason: 'reordered',
      detail: `第 ${fault.position} 条事件出现在较后的位置（顺序被调换）`,
    };
  }
  return fault;
}

/**
 * Hands events to verifyChain without letting it close the underlying source, so the verifier can read
 * on after a fault; a malformed line ends the iteration and is kept for the report.
 */
class PeekableSource implements AsyncIterable<StoredEvent> {
  malformed?: MalformedLineError;
  private readonly iterator: AsyncIterator<StoredEvent> | Iterator<StoredEvent>;

  constructor(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>) {
    this.iterator =
      Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : events[Symbol.iterator]();
  }

  private async next(): Promise<IteratorResult<StoredEvent>> {
    if (this.malformed) return { done: true, value: undefined };
    try {
      return await this.iterator.next();
    } catch (error) {
      if (!(error instanceof MalformedLineError)) throw error;
      this.malformed = error;
      return { done: true, value: undefined };
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    return {
      next: () => this.next(),
      return: () => Promise.resolve({ done: true as const, value: undefined }),
    };
  }

  /** Reads on until an event at `position` turns up; constant memory. */
  async seek(position: number): Promise<boolean> {
    for (let r = await this.next(); !r.done; r = await this.next()) {
      if (r.value.position === position) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
