import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { concatMap, from, type Observable } from 'rxjs';
import { currentContext } from '@app/application/request-context';
import { EventStore } from '@app/event-store';

export const LEDGER_POSITION_HEADER = 'X-Ledger-Position';

/**
 * Every command's answer names the ledger position a later read must reach to see it (API.md v1.1,
 * "Reading your own writes"): the position of the last event the command recorded, or the head when it
 * recorded none. Runs inside the idempotency interceptor, so a replayed answer carries it too.
 */
@Injectable()
export class LedgerPositionInterceptor implements NestInterceptor {
  constructor(private readonly store: EventStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    // The request's own context, which the CommandExecutor marks with the position it recorded.
    const requestContext = currentContext();
    return next.handle().pipe(
      concatMap((body: unknown) =>
        from(
          (async () => {
            const recorded = requestContext?.ledgerPosition;
            const position = recorded ?? (await this.store.head()).position;
            if (!res.headersSent) res.setHeader(LEDGER_POSITION_HEADER, String(position));
            return body;
          })(),
        ),
      ),
    );
  }
}
