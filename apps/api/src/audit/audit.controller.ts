import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@app/event-store';
import { LedgerVerifier } from '@app/application/audit/ledger-verifier.service';
import { historyEntry } from '@app/application/audit/stream-history';
import { ProblemException } from '@app/application/problem';
import { ScanStore } from '@app/application/scans/scan-store';
import { Allow, role } from '../auth/access';
import { IgnoresBody } from '../http/content-type';
import { AsOfPipe } from '../http/params';
import { Versioned } from '../http/versioned';
import { AuditEventsQuery } from './audit.dto';
import { GUARDED, ProblemResponses, WRITE } from '../http/problem-responses';

const STREAM_ID = /^\P{Cc}{1,200}$/u;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Allow(role('auditor', 'province-admin'))
export class AuditController {
  constructor(
    private readonly store: EventStore,
    private readonly verifier: LedgerVerifier,
    private readonly scans: ScanStore,
  ) {}

  /** The ledger page by page, in order, with hashes: everything an auditor needs to re-check it elsewhere. */
  @ProblemResponses(...GUARDED)
  @Get('events')
  @ApiOperation({ summary: '按顺序分页读取账本事件；next 为下一页的 after，没有更多时为 null' })
  async events(@Query() q: AuditEventsQuery) {
    const limit = q.limit ?? 100;
    // One more than asked tells whether another page exists, so `next` is null exactly at the end.
    const events = await this.store.readAll(q.after ?? 0, limit + 1, {
      streamId: q.stream,
      unitCode: q.unit,
      types: q.type?.split(','),
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
    const page = events.slice(0, limit);
    const next = events.length > limit ? page[page.length - 1].position : null;
    return { events: page, next };
  }

  /**
   * Walks the whole chain (constant memory), checks every signed checkpoint, signature first, and re-hashes
   * every stored scan against the sha256 its event recorded: `ok` only when all three hold.
   */
  @ProblemResponses(...WRITE)
  @Post('verifications')
  @HttpCode(200)
  @IgnoresBody()
  @ApiOperation({ summary: '校验整条哈希链、全部已签名检查点（含签名）与全部盖章扫描件的摘要' })
  async verify() {
    const [ledger, scans] = await Promise.all([this.verifier.verify(), this.scans.verify()]);
    return { ...ledger, ok: ledger.ok && scans.invalid.length === 0, scans };
  }

  /** Every event of one stream, or those recorded at or before `asOf`: the stream as it stood then. */
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('streams/:streamId')
  @ApiOperation({ summary: '某一事件流的全部事件（可用 asOf 查看某一时刻的状态）' })
  async stream(@Param('streamId') streamId: string, @Query('asOf', AsOfPipe) asOf?: Date) {
    if (!STREAM_ID.test(streamId)) {
      throw new ProblemException('VALIDATION_FAILED', '事件流编号格式不正确', [
        { field: 'streamId', code: 'invalid', message: '事件流编号应为 1 到 200 个可见字符' },
      ]);
    }
    const events = await this.store.readStream(streamId, { asOf });
    if (events.length === 0 && (await this.store.readStream(streamId, { toVersion: 1 })).length === 0) {
      throw new ProblemException('NOT_FOUND', `事件流 ${streamId} 不存在`);
    }
    const version = events.length ? events[events.length - 1].streamPosition : 0;
    return new Versioned(events.map(historyEntry), version);
  }
}
