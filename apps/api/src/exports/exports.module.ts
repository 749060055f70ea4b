import { Module } from '@nestjs/common';
import { ReconciliationController } from './reconciliation.controller';

/** Workbooks and printable forms for the offices, and reconciliation with the skilled-talent platform. */
@Module({ controllers: [ReconciliationController] })
export class ExportsModule {}
