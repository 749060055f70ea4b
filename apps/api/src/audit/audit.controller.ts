import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventStore, verifyChain } from '@app/event-store';
import { Allow, role } from '../auth/access';
import { IgnoresBody } from '../http/content-type';
import { AuditEventsQuery } from './audit.dto';
import { CheckpointStore } from '@app/application/audit/checkpoints';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Allow(role('auditor', 'province-admin'))
export class AuditController {
  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** The ledger page by page, in order, with hashes: everything an auditor needs to re-check it elsewhere. */
  @Get('events')
  async events(@Query() q: AuditEventsQuery) {
    const limit = q.limit ?? 100;
    const events = await this.store.readAll(q.after ?? 0, limit, {
      streamId: q.stream,
      unitCode: q.unit,
      types: q.type?.split(','),
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
    const next = events.length === limit ? events[events.length - 1].position : null;
    return { events, next };
  }

  /** Walks the whole chain (constant memory) and checks every signed checkpoint is still a prefix of it. */
  @Post('verifications')
  @HttpCode(200)
  @IgnoresBody()
  async verify() {
    const result = await verifyChain(this.store.iterateAll(), await this.checkpoints.all());
    return result;
  }
}
