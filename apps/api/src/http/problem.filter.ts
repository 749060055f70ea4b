import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Actor, DomainError } from '@app/domain';
import { UnstorableEventError, VersionConflictError } from '@app/event-store';
import { IdempotencyKeyInFlight } from '@app/application/idempotency';
import { ProblemException, statusOf, TITLE_BY_STATUS } from '@app/application/problem';
import { currentContext } from '@app/application/request-context';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; code: string; message: string }[];
}

const CONNECTION_ERRORS =
  /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|ETIMEDOUT|Client has encountered a connection error|57P0[123]/;

/** Turns every failure into problem+json with a stable code; logs each refused request once. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { user?: Actor; id?: string }>();
    const res = http.getResponse<Response>();
    const problem = toProblem(exception);
    const context = currentContext();
    const entry = {
      msg: 'request refused',
      status: problem.status,
      code: problem.code,
      method: req.method,
      route: (req.route as { path?: string } | undefined)?.path ?? req.path,
      requestId: context?.requestId ?? req.id,
      actor: req.user?.username,
      role: req.user?.role,
      unit: req.user?.unitCode,
    };
    if (problem.status >= 500) this.logger.error({ ...entry, err: serializeError(exception) });
    else this.logger.warn(entry);
    if (res.headersSent) return;
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: `/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
        title: TITLE_BY_STATUS[problem.status] ?? 'Error',
        status: problem.status,
        code: problem.code,
        detail: problem.detail,
        ...(problem.errors ? { errors: problem.errors } : {}),
        requestId: entry.requestId,
      });
  }
}

export function toProblem(exception: unknown): Problem {
  if (exception instanceof DomainError) {
    return {
      status: statusOf(exception.code),
      code: exception.code,
      detail: exception.detail,
      errors: exception.errors,
    };
  }
  if (exception instanceof ProblemException) {
    return {
      status: exception.status ?? statusOf(exception.code),
      code: exception.code,
      detail: exception.detail,
      errors: exception.errors,
    };
  }
  if (exception instanceof VersionConflictError) {
    return {
      status: 412,
      code: 'VERSION_CONFLICT',
      detail: `数据已被他人修改（当前版本 ${exception.actual}，您提交的版本 ${exception.expected}），请刷新后重试`,
    };
  }
  if (exception instanceof IdempotencyKeyInFlight) {
    return { status: 409, code: 'IDEMPOTENCY_IN_PROGRESS', detail: '相同幂等键的请求正在处理中，请稍后重试' };
  }
  if (exception instanceof UnstorableEventError) {
    return { status: 400, code: 'VALIDATION_FAILED', detail: `内容无法保存：${exception.reason}` };
  }
  const bodyError = exception as { type?: string; status?: number };
  if (bodyError?.type === 'entity.parse.failed') {
    return { status: 400, code: 'VALIDATION_FAILED', detail: '请求体不是合法的 JSON' };
  }
  if (bodyError?.type === 'entity.too.large') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: '请求内容超过大小限制' };
  }
  if (bodyError?.type && bodyError.status && bodyError.status < 500) {
    return { status: 400, code: 'VALIDATION_FAILED', detail: '请求体无法解析' };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code =
      status === 404
        ? 'NOT_FOUND'
        : status === 405
          ? 'METHOD_NOT_ALLOWED'
          : status === 403
            ? 'FORBIDDEN'
            : status === 401
              ? 'UNAUTHENTICATED'
              : status >= 500
                ? 'INTERNAL_ERROR'
                : 'VALIDATION_FAILED';
    return { status, code, detail: TITLE_BY_STATUS[status] ?? exception.message };
  }
  if (
    CONNECTION_ERRORS.test(String((exception as Error)?.message)) ||
    CONNECTION_ERRORS.test(String((exception as { code?: unknown })?.code))
  ) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', detail: '数据库暂时不可用，请稍后重试' };
  }
  return { status: 500, code: 'INTERNAL_ERROR', detail: '服务器内部错误，请联系管理员' };
}

function serializeError(e: unknown) {
  return e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { value: String(e) };
}
