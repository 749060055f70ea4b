import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** Messages after which a connection's exchange is complete: Sync, a simple Query, Terminate. */
const ENDS_EXCHANGE = new Set(['S', 'Q', 'X']);

/**
 * The order in which the connections of pglite-socket reach the one PGlite session.
 *
 * pglite-socket 0.2.17 keeps a transaction's connection exclusive, but between transactions it takes
 * messages one by one from all connections. node-postgres sends every parameterised query as
 * Parse, Bind, Describe, Execute, Sync; interleaved with another connection's, one Bind meets the
 * other's unnamed statement ("unnamed prepared statement does not exist", `portal "" does not exist`,
 * or worse, a Bind of the wrong statement). Here a connection that has begun an exchange keeps the
 * session until its Sync, and a connection inside a transaction keeps it until the transaction ends.
 * Same interface as pglite-socket's own queue, which it replaces.
 */
export class ExchangeQueue {
  private pending: Pending[] = [];
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.pending = this.pending.filter((p) => {
      if (p.handlerId === handlerId) p.reject(new Error('Handler disconnected'));
      return p.handlerId !== handlerId;
    });
  }

  /** A connection that closes mid-exchange or mid-transaction gives the session back, rolled back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    this.owner = null;
    void this.drain();
  }

  private next(): Pending | undefined {
    const index = this.owner === null ? 0 : this.pending.findIndex((p) => p.handlerId === this.owner);
    return index < 0 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          current.resolve(bytes);
        } catch (error) {
          current.reject(error);
        }
        const type = String.fromCharCode(current.message[0]);
        // A startup packet begins with its length (first byte 0): complete in itself.
        const complete = current.message[0] === 0 || ENDS_EXCHANGE.has(type);
        this.owner = complete && !this.db.isInTransaction() ? null : current.handlerId;
      }
    } finally {
      this.running = false;
    }
  }
}
