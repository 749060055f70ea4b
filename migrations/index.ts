import { LedgerCore1732500000000 } from './1732500000000-ledger-core';
import { Identity1732500000001 } from './1732500000001-identity';
import { PlanReadModels1732500000002 } from './1732500000002-plan-read-models';
import { ReportReadModels1732500000003 } from './1732500000003-report-read-models';
import { AuditCheckpoints1732500000004 } from './1732500000004-audit-checkpoints';
import { Deadlines1732500000030 } from './1732500000030-deadlines';
import { PlatformFigures1732500000050 } from './1732500000050-platform-figures';
import { CheckpointsAppendOnly1732500000100 } from './1732500000100-checkpoints-append-only';
import { LoginHardening1732500000101 } from './1732500000101-login-hardening';
import { ReportingYear1732500000120 } from './1732500000120-reporting-year';
import { ReportScans1732500000140 } from './1732500000140-report-scans';
import { Backups1732500000190 } from './1732500000190-backups';
import { LedgerHeadCheck1732500000160 } from './1732500000160-ledger-head-check';

/** Every migration in order; listed here rather than globbed so that ts-jest and the build agree. */
export const MIGRATIONS = [
  LedgerCore1732500000000,
  Identity1732500000001,
  PlanReadModels1732500000002,
  ReportReadModels1732500000003,
  AuditCheckpoints1732500000004,
  Deadlines1732500000030,
  PlatformFigures1732500000050,
  CheckpointsAppendOnly1732500000100,
  LoginHardening1732500000101,
  ReportingYear1732500000120,
  ReportScans1732500000140,
  LedgerHeadCheck1732500000160,
  Backups1732500000190,
];
