import { applyDecorators, HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DECORATORS,
  getSchemaPath,
} from '@nestjs/swagger';
import { statusOf, TITLE_BY_STATUS } from '@app/application/problem';

export class ProblemFieldError {
  @ApiProperty({ example: 'figures.training' }) field: string;
  @ApiProperty({ example: 'max' }) code: string;
  @ApiProperty({ example: '“培训人数”必须是 0 到 1000000000 的整数' }) message: string;
}

/** What ProblemFilter sends for every refusal (API.md, Conventions). */
export class ProblemDetails {
  @ApiProperty({ example: '/problems/version-conflict' }) type: string;
  @ApiProperty({ example: '数据已被他人修改' }) title: string;
  @ApiProperty({ example: 412 }) status: number;
  @ApiProperty({ description: '稳定的错误代码，客户端按它判断', example: 'VERSION_CONFLICT' }) code: string;
  @ApiProperty({ description: '给人看的中文说明', example: '数据已被他人修改，请刷新后重试' }) detail: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], description: '输入有误的字段，逐项列出' })
  errors?: ProblemFieldError[];
  @ApiPropertyOptional({ description: '本次请求的编号，与日志对应' }) requestId?: string;
}

/** Every route, public ones and GETs too: the body parsers run before routing (malformed or too large). */
export const BODY_PARSER = ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'] as const;
/** Every route under /api/v1 but login: the AccessGuard answers before the handler runs. */
export const GUARDED = [...BODY_PARSER, 'UNAUTHENTICATED', 'FORBIDDEN'] as const;
/** Every guarded POST and PUT: Idempotency-Key malformed (400), reused for another request, or in flight. */
export const WRITE = [...GUARDED, 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] as const;
/** A write that reads its body: a Content-Type the route does not take is refused. */
export const WRITE_BODY = [...WRITE, 'UNSUPPORTED_MEDIA_TYPE'] as const;
/** A command on a stream: `If-Match` missing, or not the version last read. */
export const IF_MATCH = ['PRECONDITION_REQUIRED', 'VERSION_CONFLICT'] as const;

const successStatus = (handler: object): number =>
  (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
  (Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);

/** One problem+json answer per status, naming the codes a client can meet under it. */
function problemResponse(status: number, codes: readonly string[]): MethodDecorator {
  return ApiResponse({
    status,
    description: `${TITLE_BY_STATUS[status] ?? 'Error'}：${codes.join('、')}`,
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ProblemDetails) },
            {
              type: 'object',
              properties: {
                status: { type: 'integer', enum: [status] },
                code: { type: 'string', enum: [...codes] },
              },
            },
          ],
        },
      },
    },
  });
}

/**
 * The refusals a route can answer, by stable code (API.md); each code's status comes from the same table
 * ProblemFilter uses, so the document cannot disagree with the answer. Goes above the route decorator
 * (`@Get`, `@Post`…): declaring any response stops Swagger from adding the success one itself, so this
 * adds it from the route's method and `@HttpCode` unless a 2xx is already declared below it.
 */
export function ProblemResponses(...codes: readonly string[]): MethodDecorator {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const problems = applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...[...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => problemResponse(status, list)),
  );
  return (target, key, descriptor) => {
    const handler = descriptor.value as object;
    if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
      throw new Error(`@ProblemResponses on ${String(key)} must stand above its @Get/@Post/@Put decorator`);
    }
    const declared = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, unknown>;
    if (!Object.keys(declared).some((status) => status.startsWith('2'))) {
      ApiResponse({ status: successStatus(handler), description: '' })(target, key, descriptor);
    }
    problems(target, key, descriptor);
  };
}
