import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ProblemException } from '@app/application/problem';

export const CONSUMES = 'consumes';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Media types a route takes; routes that take no body say `[]` and ignore whatever is sent. */
export const Consumes = (...types: string[]) => SetMetadata(CONSUMES, types);
export const IgnoresBody = () => SetMetadata(CONSUMES, []);

const hasBody = (req: Request) =>
  Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/** A body of a type the route does not take gets 415, rather than being silently read as empty. */
@Injectable()
export class ContentTypeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next.handle();
    const accepted = this.reflector.getAllAndOverride<string[]>(CONSUMES, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['application/json'];
    if (accepted.length === 0) return next.handle();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!hasBody(req) && accepted.includes('application/json')) return next.handle();
    if (!accepted.includes(type)) {
      throw new ProblemException('UNSUPPORTED_MEDIA_TYPE', `此接口只接受 ${accepted.join('、')} 格式的内容`);
    }
    return next.handle();
  }
}
