import { Module } from '@nestjs/common';
import { DeadlinesCoreModule } from '../deadlines/deadlines-core.module';
import { ReportsCoreModule } from '../reports/reports-core.module';
import { ScanDeliveries } from './scan-deliveries';
import { ScanStore } from './scan-store';
import { ScansService } from './scans.service';

/** Sealed forms as both apps need them: storage, download, delivery to the province inbox. */
@Module({
  imports: [ReportsCoreModule, DeadlinesCoreModule],
  providers: [ScanStore, ScansService, ScanDeliveries],
  exports: [ScanStore, ScansService, ScanDeliveries],
})
export class ScansCoreModule {}
