import express, { type NextFunction, type Request, type Response } from 'express';
import { MAX_SCAN_BYTES, SCAN_CONTENT_TYPES } from '@app/domain';
import { ProblemException } from '@app/application/problem';

const SCAN_PATH = /^\/api\/v1\/units\/[^/]+\/reports\/[^/]+\/scan\/?$/;

const raw = express.raw({ type: [...SCAN_CONTENT_TYPES], limit: MAX_SCAN_BYTES });

/**
 * The raw body of a scan upload, on that route only and with its own 10 MiB limit, so the JSON limit of
 * every other route stays as it is. Runs before the other parsers; they skip a body already read.
 */
export function scanBodyParser(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'PUT' || !SCAN_PATH.test(req.path)) return next();
  raw(req, res, (error?: unknown) => {
    const type = (error as { type?: string } | undefined)?.type;
    if (type === 'entity.too.large') {
      return next(
        new ProblemException('PAYLOAD_TOO_LARGE', '盖章扫描件不能超过 10 MiB，请压缩或降低分辨率后重新上传'),
      );
    }
    next(error);
  });
}
