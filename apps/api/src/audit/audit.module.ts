import { Module } from '@nestjs/common';
import { LedgerVerifier } from '@app/application/audit/ledger-verifier.service';
import { ReadModelReplay } from '@app/application/audit/read-model-replay.service';
import { ScanStore } from '@app/application/scans/scan-store';
import { AuditController } from './audit.controller';
import { CheckpointsController } from './checkpoints.controller';
import { ProjectionsController } from './projections.controller';

/** The auditor's view of the ledger: events, verification, checkpoints, stream history, replay. */
@Module({
  controllers: [AuditController, CheckpointsController, ProjectionsController],
  providers: [LedgerVerifier, ReadModelReplay, ScanStore],
})
export class AuditModule {}
