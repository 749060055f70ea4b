import { Agent, request } from 'node:http';
import { elapsedMs, now } from './stats';

export interface Reply {
  status: number;
  etag: string | undefined;
  body: any;
  ms: number;
}

export interface Call {
  token?: string;
  body?: unknown;
  /** Raw bytes with their type (the plan CSV); otherwise `body` goes as JSON. */
  raw?: { bytes: Buffer; type: string };
  ifMatch?: string;
  timeoutMs?: number;
}

/** A keep-alive JSON client for the API on loopback: one socket per concurrent caller, like browsers. */
export class ApiClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /**
   * A kept-alive socket the server closed while idle fails before any byte of the request is read: such a
   * request is sent once more on a fresh socket (Node's documented pattern for `reusedSocket`).
   */
  async send(method: string, path: string, call: Call = {}): Promise<Reply> {
    try {
      return await this.once(method, path, call);
    } catch (error) {
      if ((error as { reused?: boolean }).reused) return this.once(method, path, call);
      throw error;
    }
  }

  private once(method: string, path: string, call: Call): Promise<Reply> {
    const payload = call.raw
      ? call.raw.bytes
      : call.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(call.body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = call.raw?.type ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    if (call.ifMatch) headers['if-match'] = call.ifMatch;
    const start = now();
    return new Promise<Reply>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text for the error message
            }
            resolve({
              status: res.statusCode ?? 0,
              etag: res.headers.etag,
              body,
              ms: elapsedMs(start),
            });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(call.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
        reject(Object.assign(error, { reused: stale }));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` in flight; items are taken in order. */
export async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}
