import { Module } from '@nestjs/common';

/** Placeholder until this feature's controllers and handlers land. */
@Module({})
export class PlanModule {}
