import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chainHash, hashedContent } from '../../libs/event-store/src';
import { oncePerBlock } from '../support/once-per-block';
import { EVENTS, event, exportedLedger } from './exported-ledger';
import { runLedger } from './support';

/**
 * Offline verification of an exported ledger: each kind of rewrite an attacker with the file (or the
 * database) could make is named by `ledger verify`, which needs neither the database nor the service.
 */
describe('verifying an exported ledger offline', () => {
  const kit = oncePerBlock(exportedLedger);

  /** Writes a mutated copy of the export and verifies it with the signed checkpoints and the public key. */
  async function verifyCopy(mutate: (lines: string[]) => string[], name: string, withCheckpoints = true) {
    const { dir, lines, publicKey, checkpoints } = kit;
    const file = join(dir.path, `${name}.ndjson`);
    await writeFile(file, mutate([...lines]).join('\n') + '\n');
    const args = ['verify', file];
    if (withCheckpoints) args.push('--checkpoints', checkpoints, '--public-key', publicKey);
    return runLedger(args);
  }

  it('exports every event in order, one StoredEvent JSON per line', async () => {
    const { f, lines } = kit;
    expect(lines).toHaveLength(EVENTS);
    expect(lines.map((l) => event(l).position)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    const [first] = await f.store.readAll(0, 1);
    expect(event(lines[0])).toEqual(first);
  });

  it('passes a clean export, with and without checkpoints, and exits 0', async () => {
    const { exported, lines } = kit;
    const bare = await runLedger(['verify', exported]);
    expect(bare.code).toBe(0);
    expect(bare.json).toMatchObject({ ok: true, checked: EVENTS, firstInvalid: null });
    const full = await verifyCopy((l) => l, 'clean');
    expect(full.code).toBe(0);
    expect(full.json).toMatchObject({
      ok: true,
      checked: EVENTS,
      head: { position: EVENTS, hash: event(lines[EVENTS - 1]).hash },
      checkpoints: { total: 2, trusted: 2, signatures: 'trusted-key', forged: [] },
    });
  });

  it('reads the export from standard input with "-"', async () => {
    const { lines } = kit;
    const result = await runLedger(['verify', '-'], { stdin: Readable.from([lines.join('\n') + '\n']) });
    expect(result.json).toMatchObject({ ok: true, checked: EVENTS });
  });

  it('names one changed byte of a payload as edited content, and exits 1', async () => {
    const result = await verifyCopy((l) => {
      l[4] = l[4].replace('"training":500', '"training":600');
      return l;
    }, 'edited');
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({
      ok: false,
      checked: 4,
      head: { position: 4 },
      firstInvalid: { position: 5, reason: 'content-edited' },
    });
  });

  it('names an edited Chinese note (a changed UTF-8 byte) as edited content', async () => {
    const result = await verifyCopy((l) => {
      l[6] = l[6].replace('第7次', '第8次');
      return l;
    }, 'edited-note');
    expect(result.json.firstInvalid).toMatchObject({ position: 7, reason: 'content-edited' });
  });

  it('names a deleted line as a missing position', async () => {
    const result = await verifyCopy((l) => l.filter((_, i) => i !== 5), 'deleted');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 6, reason: 'missing-position' });
  });

  it('names two swapped lines as a reordering at the first of them', async () => {
    const result = await verifyCopy((l) => {
      [l[2], l[7]] = [l[7], l[2]];
      return l;
    }, 'swapped');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 3, reason: 'reordered' });
  });

  it('names a forged line that links and hashes correctly as an extra position', async () => {
    const result = await verifyCopy((l) => {
      const previous = event(l[5]);
      const body = { ...previous, position: 7, streamPosition: 99, data: { figures: { training: 1 } } };
      const forged = {
        ...body,
        prevHash: previous.hash,
        hash: chainHash(previous.hash, hashedContent(body)),
      };
      l.splice(6, 0, JSON.stringify(forged));
      return l;
    }, 'forged-line');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 7, reason: 'extra-position' });
  });

  it('names a forged line with a made-up hash at its position', async () => {
    const result = await verifyCopy((l) => {
      const forged = { ...event(l[3]), hash: 'f'.repeat(64) };
      l.splice(4, 0, JSON.stringify({ ...forged, position: 5 }));
      return l;
    }, 'forged-hash');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid.position).toBe(5);
  });

  it('catches a history rewritten and re-hashed from a position on, through a checkpoint', async () => {
    const result = await verifyCopy((l) => {
      let prevHash = event(l[1]).hash;
      for (let i = 2; i < l.length; i++) {
        const body = { ...event(l[i]), data: { figures: { training: 0 } } };
        const hash = chainHash(prevHash, hashedContent(body));
        l[i] = JSON.stringify({ ...body, prevHash, hash });
        prevHash = hash;
      }
      return l;
    }, 'rehashed');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 4, reason: 'checkpoint-mismatch' });
    const withoutCheckpoints = await verifyCopy((l) => l, 'rehashed-bare', false);
    expect(withoutCheckpoints.code).toBe(0);
  });

  it('catches a cut tail through the signed checkpoints (and only through them)', async () => {
    const cut = (l: string[]) => l.slice(0, 7);
    const bare = await verifyCopy(cut, 'cut-bare', false);
    expect(bare.json).toMatchObject({ ok: true, checked: 7 });
    const result = await verifyCopy(cut, 'cut');
    expect(result.code).toBe(1);
    expect(result.json.firstInvalid).toMatchObject({ position: 8, reason: 'truncated' });
  });

  it('names a line that is not an event, instead of failing', async () => {
    const result = await verifyCopy((l) => {
      l[3] = l[3].slice(0, 40);
      return l;
    }, 'garbled');
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({
      checked: 3,
      firstInvalid: { position: 4, reason: 'malformed-line' },
    });
  });
});
