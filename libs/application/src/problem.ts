import type { FieldError } from '@app/domain';

/**
 * A refusal with a stable code and a Chinese explanation, for codes that are not domain rules
 * (authentication, concurrency, transport). Domain rules throw DomainError instead.
 */
export class ProblemException extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly status?: number,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ProblemException';
  }
}

export const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNSUPPORTED_ENCODING: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PLAN_ALREADY_PUBLISHED: 409,
  SCAN_LOCKED: 409,
  ALLOCATION_PUBLISHED: 409,
  YEAR_CLOSED: 409,
  USERNAME_TAKEN: 409,
  UNIT_CODE_TAKEN: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  READ_MODEL_BEHIND: 503,
};

/** Every other code is a broken domain rule. */
export const statusOf = (code: string): number => STATUS_BY_CODE[code] ?? 422;

export const TITLE_BY_STATUS: Record<number, string> = {
  400: '请求内容不正确',
  401: '未登录或登录已失效',
  403: '无权进行此操作',
  404: '未找到',
  405: '不支持的请求方法',
  409: '与现有数据冲突',
  412: '数据已被他人修改',
  413: '请求内容过大',
  415: '不支持的内容类型',
  422: '不符合业务规则',
  428: '缺少版本号（If-Match）',
  429: '尝试过于频繁',
  500: '服务器内部错误',
  503: '服务暂时不可用',
};
