import {
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { ProblemException } from '@app/application/problem';

/** A stream-backed resource and the version its ETag names. */
export class Versioned<T> {
  constructor(
    readonly body: T,
    readonly version: number,
  ) {}

  /** From what the application services answer: a body and the stream version it was built at. */
  static of<T>(result: { body: T; version: number }): Versioned<T> {
    return new Versioned(result.body, result.version);
  }
}

/** Sends `ETag: "<version>"` for every Versioned result and answers with its body. */
@Injectable()
export class VersionedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Versioned)) return result;
        const versioned = result as Versioned<unknown>;
        context.switchToHttp().getResponse<Response>().setHeader('ETag', `"${versioned.version}"`);
        return versioned.body;
      }),
    );
  }
}

const IF_MATCH = /^\s*(?:W\/)?"(\d{1,9})"\s*$/;

/** The version the caller last saw. Missing → 428; not a version we could have sent → 412. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): number => {
  const header = ctx.switchToHttp().getRequest<Request>().headers['if-match'];
  if (header === undefined || header === '') {
    throw new ProblemException(
      'PRECONDITION_REQUIRED',
      '修改数据前请先读取并在 If-Match 中带上版本号（ETag）',
    );
  }
  const match = IF_MATCH.exec(String(header));
  if (!match)
    throw new ProblemException('VERSION_CONFLICT', 'If-Match 中的版本号无效，请刷新后重试', undefined, 412);
  return Number(match[1]);
});
