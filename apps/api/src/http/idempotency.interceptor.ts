import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import canonicalize from 'canonicalize';
import { catchError, concatMap, from, of, switchMap, type Observable } from 'rxjs';
import { Database } from '@app/platform/database';
import { Clock } from '@app/platform/clock';
import { ProblemException } from '@app/application/problem';
import { currentContext } from '@app/application/request-context';
import { LEDGER_POSITION_HEADER } from './ledger-position';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

interface StoredAnswer {
  request_hash: string;
  /** NULL while the request that claimed the key has recorded its events but not yet answered. */
  status: number | null;
  response: unknown;
  headers: Record<string, string>;
}

/**
 * Idempotency-Key on POST and PUT: the same key from the same user with the same request answers the
 * first response again and records nothing; another request under that key is refused. The key is
 * claimed in the transaction that appends the events (see CommandExecutor), so a retry racing the
 * first attempt can never record twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('idempotency');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { user?: { userId: string } }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (!['POST', 'PUT'].includes(req.method) || key === undefined || !req.user) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        'Idempotency-Key 格式不正确（1 到 128 个字母、数字或 ._:-）',
      );
    }
    const userId = req.user.userId;
    const requestHash = hashRequest(req);
    return from(this.lookup(userId, key)).pipe(
      switchMap((previous) => {
        if (previous) return of(this.replay(previous, requestHash, res));
        const ctx = currentContext();
        if (ctx) ctx.idempotency = { userId, key, requestHash };
        return next.handle().pipe(
          concatMap((body: unknown) =>
            from(this.rememberOrWarn(userId, key, requestHash, res, body).then(() => body)),
          ),
          // The same key sent at the same instant (to this process or another) that recorded first makes
          // this one fail on the stream it changed; answer as if this request had come after it.
          catchError((error) =>
            from(this.lookup(userId, key).catch(() => undefined)).pipe(
              switchMap((racing) => {
                if (!racing) throw error;
                return of(this.replay(racing, requestHash, res));
              }),
            ),
          ),
        );
      }),
    );
  }

  /** The first request's answer again, or why it cannot be given. */
  private replay(previous: StoredAnswer, requestHash: string, res: Response): unknown {
    if (previous.request_hash !== requestHash) {
      throw new ProblemException('IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一个不同的请求', undefined, 422);
    }
    if (previous.status === null) {
      throw new ProblemException('IDEMPOTENCY_IN_PROGRESS', '相同幂等键的请求正在处理中，请稍后重试');
    }
    for (const [name, value] of Object.entries(previous.headers ?? {})) res.setHeader(name, value);
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(previous.status);
    return previous.response;
  }

  private async lookup(userId: string, key: string) {
    const [row] = await this.db.query<StoredAnswer>(
      `SELECT request_hash, status, response, headers FROM idempotency_keys
        WHERE user_id = $1 AND key = $2 AND created_at > $3::timestamptz - interval '24 hours'`,
      [userId, key, this.clock.now()],
    );
    return row as StoredAnswer | undefined; // no row: the key is new
  }

  /**
   * The command has committed: its answer must reach the client even if storing it fails. A killed
   * connection is retried on a fresh one; if every attempt fails the key stays claimed (a retry records
   * nothing and hears IDEMPOTENCY_IN_PROGRESS), which is the price of not holding the ledger lock longer.
   */
  private async rememberOrWarn(
    userId: string,
    key: string,
    requestHash: string,
    res: Response,
    body: unknown,
  ) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await this.remember(userId, key, requestHash, res, body);
      } catch (error) {
        if (attempt === 3) {
          this.logger.warn({
            msg: 'idempotent answer not stored',
            key,
            err: String((error as Error)?.message ?? error),
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async remember(userId: string, key: string, requestHash: string, res: Response, body: unknown) {
    const etag = res.getHeader('ETag');
    const position = res.getHeader(LEDGER_POSITION_HEADER);
    const headers = {
      ...(etag ? { ETag: String(etag) } : {}),
      ...(position !== undefined ? { [LEDGER_POSITION_HEADER]: String(position) } : {}),
    };
    const status = res.statusCode;
    // Stored whether or not the command recorded events: a retry must see the same answer either way.
    await this.db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, headers, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id, key) DO UPDATE SET status = EXCLUDED.status, response = EXCLUDED.response,
         headers = EXCLUDED.headers WHERE idempotency_keys.request_hash = EXCLUDED.request_hash`,
      [
        userId,
        key,
        requestHash,
        status,
        JSON.stringify(body ?? null),
        JSON.stringify(headers),
        this.clock.now(),
      ],
    );
  }
}

function hashRequest(req: Request): string {
  const body = Buffer.isBuffer(req.body)
    ? req.body.toString('base64')
    : (canonicalize(req.body ?? null) ?? '');
  return createHash('sha256').update(`${req.method} ${req.originalUrl}\n${body}`).digest('hex');
}
