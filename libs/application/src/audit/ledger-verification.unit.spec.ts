import { chainHash, GENESIS_HASH, hashedContent, type StoredEvent } from '@app/event-store';
import { generateSigningKeyPair, loadSigningKey, signCheckpoint } from './checkpoint-signature';
import { MalformedLineError, verifyLedger } from './ledger-verification';

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let position = 1; position <= n; position++) {
    const body = {
      position,
      streamId: `s-${position % 2}`,
      streamPosition: Math.ceil(position / 2),
      type: 'Wrote',
      schemaVersion: 1,
      data: { position },
      metadata: { actor: { userId: 'u', username: 'u', role: 'auditor', unitCode: 'province' } },
      recordedAt: '2024-03-01T00:00:00.000Z',
    };
    const hash = chainHash(prevHash, hashedContent(body));
    events.push({ ...body, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const keys = generateSigningKeyPair();
const key = loadSigningKey(keys.privateKeyPem);
const at = new Date('2024-03-02T00:00:00.000Z');
const sourced = (c: ReturnType<typeof signCheckpoint>, source = 'database') => ({ source, checkpoint: c });

describe('verifying a ledger with signed checkpoints', () => {
  const events = chain(6);

  it('accepts a clean chain with its checkpoints judged by the trusted key', async () => {
    const result = await verifyLedger(events, [sourced(signCheckpoint(key, events[3], at, 'hourly'))], {
      publicKeyPem: keys.publicKeyPem,
    });
    expect(result).toMatchObject({
      ok: true,
      checked: 6,
      firstInvalid: null,
      checkpoints: { total: 1, trusted: 1, signatures: 'trusted-key' },
    });
  });

  it('reports the lower of a chain fault and a forged checkpoint as the first invalid', async () => {
    const other = loadSigningKey(generateSigningKeyPair().privateKeyPem);
    const edited = events.map((e) => (e.position === 5 ? { ...e, data: { position: 50 } } : e));
    const result = await verifyLedger(
      edited,
      [sourced(signCheckpoint(other, events[1], at, 'x'), 'file:a')],
      {
        publicKeyPem: keys.publicKeyPem,
      },
    );
    expect(result.firstInvalid).toMatchObject({ position: 2, reason: 'forged-checkpoint' });
    expect(result.checked).toBe(4);
  });

  it('tells a gap from a reordering only when it may read ahead', async () => {
    const swapped = [events[0], events[3], events[2], events[1], events[4], events[5]];
    expect((await verifyLedger(swapped, [])).firstInvalid).toMatchObject({
      position: 2,
      reason: 'reordered',
    });
    expect((await verifyLedger(swapped, [], { lookAhead: false })).firstInvalid).toMatchObject({
      position: 2,
      reason: 'missing-position',
    });
  });

  it('names a position seen twice as an extra position', async () => {
    const doubled = [...events.slice(0, 3), events[2], ...events.slice(3)];
    expect((await verifyLedger(doubled, [])).firstInvalid).toMatchObject({
      position: 3,
      reason: 'extra-position',
    });
  });

  it('reports a malformed line where it stands, before a cut tail it hides', async () => {
    async function* withBadLine() {
      yield* events.slice(0, 2);
      throw new MalformedLineError(3, '不是合法的 JSON');
    }
    const result = await verifyLedger(withBadLine(), [sourced(signCheckpoint(key, events[5], at, 'x'))]);
    expect(result).toMatchObject({
      ok: false,
      checked: 2,
      firstInvalid: { position: 3, reason: 'malformed-line' },
      checkpoints: { signatures: 'embedded-key' },
    });
  });

  it('lets any other error of the source through', async () => {
    async function* failing(): AsyncGenerator<StoredEvent> {
      yield events[0];
      throw new Error('connection lost');
    }
    await expect(verifyLedger(failing(), [])).rejects.toThrow('connection lost');
  });
});
