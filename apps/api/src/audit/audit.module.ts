import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** The auditor's view of the ledger: events, verification, history, as-of reads, replay. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
