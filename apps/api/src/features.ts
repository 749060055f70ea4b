import type { Type } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { ConsoleModule } from './console/console.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { ExportsModule } from './exports/exports.module';
import { PlanModule } from './plan/plan.module';
import { ReportsModule } from './reports/reports.module';
import { ScansModule } from './scans/scans.module';

/** Feature modules of the API, each owning its controllers and handlers. */
export const FEATURE_MODULES: Type<unknown>[] = [
  PlanModule,
  ReportsModule,
  DeadlinesModule,
  AuditModule,
  ExportsModule,
  ConsoleModule,
  ScansModule,
];
