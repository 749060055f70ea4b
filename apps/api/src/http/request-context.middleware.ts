import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '@app/application/request-context';

/** What a client's own id may look like before it is kept beside ours: short, plain characters. */
export const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id of the server's own: that id goes into permanent event metadata, so a
 * client can never choose (or collide with) it. A sane X-Request-Id of the client is kept beside it
 * as `clientRequestId`; anything else the client sends is dropped.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const clientRequestId =
    typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : undefined;
  const requestId = randomUUID();
  (req as Request & { id?: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  requestContext.run({ requestId, correlationId: requestId, clientRequestId }, () => next());
}
