import { Controller, createParamDecorator, type ExecutionContext, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import type { Actor } from '@app/domain';
import { checkpointSignatureValid, type SignedCheckpoint } from '@app/application/audit/checkpoint-signature';
import { CheckpointStore } from '@app/application/audit/checkpoints';
import { ProblemException } from '@app/application/problem';
import { EventStore } from '@app/event-store';
import { Allow, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { SignCheckpointDto } from './audit.dto';
import { GUARDED, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

/**
 * The body of a route where the whole body is optional: nothing sent means `{}`. The global pipe
 * refuses a missing body for DTO parameters, so this one validates the same way itself.
 */
const OptionalReason = createParamDecorator((_: unknown, ctx: ExecutionContext): SignCheckpointDto => {
  const raw: unknown = ctx.switchToHttp().getRequest<Request>().body ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProblemException('VALIDATION_FAILED', '请求体必须是 JSON 对象');
  }
  const dto = plainToInstance(SignCheckpointDto, raw);
  const problems = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (problems.length > 0) {
    throw new ProblemException(
      'VALIDATION_FAILED',
      '请求内容不符合要求',
      problems.map((p) => ({
        field: p.property,
        code: Object.keys(p.constraints ?? {})[0] ?? 'invalid',
        message:
          p.property === 'reason' ? '“reason”应为 1 到 200 个字符的文本' : `“${p.property}”不允许的字段`,
      })),
    );
  }
  return dto;
});

/** Signed heads of the chain: what makes a rewritten or cut tail visible from outside the database. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit/checkpoints')
export class CheckpointsController {
  constructor(
    private readonly checkpoints: CheckpointStore,
    private readonly store: EventStore,
  ) {}

  @ProblemResponses(...GUARDED)
  @Get()
  @Allow(role('auditor', 'province-admin'))
  @ApiOperation({ summary: '已签名的检查点；signatureValid 按受信任公钥判断（未配置公钥时为 null）' })
  async list() {
    const key = this.checkpoints.trustedPublicKey();
    return (await this.checkpoints.list()).map((c) => this.view(c, key));
  }

  /** Signs the head now: 201 with the new checkpoint, or 200 with the one already signed at the head. */
  @ProblemResponses(...WRITE_BODY, 'LEDGER_EMPTY')
  @Post()
  @Allow(role('province-admin'))
  @ApiOperation({ summary: '立即为当前链头签署检查点' })
  @ApiBody({ type: SignCheckpointDto, required: false })
  async sign(
    @CurrentUser() actor: Actor,
    @OptionalReason() body: SignCheckpointDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const key = this.checkpoints.trustedPublicKey();
    const reason = `manual (${actor.username})${body.reason ? `: ${body.reason}` : ''}`;
    const signed = await this.checkpoints.sign(reason);
    if (signed) {
      res.status(201);
      return this.view(signed, key);
    }
    const head = await this.store.head();
    const existing = head.position > 0 ? await this.checkpoints.at(head.position) : undefined;
    if (!existing) throw new ProblemException('LEDGER_EMPTY', '账本中还没有任何事件，无法签署检查点');
    res.status(200);
    return this.view(existing, key);
  }

  private view(c: SignedCheckpoint, key: string | undefined) {
    return { ...c, signatureValid: key ? checkpointSignatureValid(c, key) : null };
  }
}
