import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '@app/application/request-context';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives every request an id (kept from X-Request-Id when sane) and a context for its commands. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
  const correlation = req.headers['x-correlation-id'];
  const correlationId =
    typeof correlation === 'string' && SAFE_ID.test(correlation) ? correlation : requestId;
  (req as any).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  requestContext.run({ requestId, correlationId }, () => next());
}
