import { Module } from '@nestjs/common';
import { AllocationController } from './allocation.controller';
import { PlanController } from './plan.controller';
import { PlanYearController } from './plan-year.controller';
import { UnitsController } from './units.controller';

/** The province's annual plan, its units and each region's split among its schools. */
@Module({ controllers: [PlanController, PlanYearController, UnitsController, AllocationController] })
export class PlanModule {}
