import { chainHash, GENESIS_HASH, hashedContent } from './hash';
import type { StoredEvent } from './types';

export type ChainFault =
  'content-edited' | 'broken-link' | 'missing-position' | 'reordered' | 'checkpoint-mismatch' | 'truncated';

export interface Checkpoint {
  position: number;
  hash: string;
}

export interface VerificationResult {
  ok: boolean;
  checked: number;
  head: { position: number; hash: string };
  firstInvalid: { position: number; reason: ChainFault; detail: string } | null;
}

/**
 * Walks the log in order and names the first place where it was rewritten. It holds one event at a
 * time (constant memory) and needs no database, so the same code checks a live table or an export.
 * Checkpoints (signed heads kept outside the database) must each still be a prefix of the chain.
 */
export async function verifyChain(
  events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>,
  checkpoints: Checkpoint[] = [],
): Promise<VerificationResult> {
  const pendingCheckpoints = [...checkpoints].sort((a, b) => a.position - b.position);
  let expectedPosition = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const fail = (position: number, reason: ChainFault, detail: string): VerificationResult => ({
    ok: false,
    checked,
    head: { position: expectedPosition - 1, hash: prevHash },
    firstInvalid: { position, reason, detail },
  });

  for await (const event of events as AsyncIterable<StoredEvent>) {
    if (event.position !== expectedPosition) {
      return event.position > expectedPosition
        ? fail(
            expectedPosition,
            'missing-position',
            `第 ${expectedPosition} 条事件缺失（下一条是第 ${event.position} 条）`,
          )
        : fail(event.position, 'reordered', `第 ${event.position} 条事件出现在第 ${expectedPosition} 条之后`);
    }
    const intact = chainHash(event.prevHash, hashedContent(event)) === event.hash;
    const linked = event.prevHash === prevHash;
    if (!intact && linked)
      return fail(event.position, 'content-edited', `第 ${event.position} 条事件的内容被修改`);
    if (!intact && !linked) {
      return fail(
        event.position,
        'reordered',
        `第 ${event.position} 条位置上的事件来自别处（顺序被调换或伪造）`,
      );
    }
    if (!linked)
      return fail(event.position, 'broken-link', `第 ${event.position} 条事件没有链接到前一条事件`);
    checked += 1;
    prevHash = event.hash;
    expectedPosition += 1;
    while (pendingCheckpoints.length > 0 && pendingCheckpoints[0].position === event.position) {
      const checkpoint = pendingCheckpoints.shift()!;
      if (checkpoint.hash !== event.hash) {
        return fail(event.position, 'checkpoint-mismatch', `第 ${event.position} 条与已签名的检查点不一致`);
      }
    }
  }
  if (pendingCheckpoints.length > 0) {
    const lost = pendingCheckpoints[0];
    return fail(
      expectedPosition,
      'truncated',
      `已签名的检查点记录到第 ${lost.position} 条，而账本只到第 ${expectedPosition - 1} 条`,
    );
  }
  return { ok: true, checked, head: { position: expectedPosition - 1, hash: prevHash }, firstInvalid: null };
}
