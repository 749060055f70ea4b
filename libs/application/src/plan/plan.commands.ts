import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import { UnitsService } from '../units/units.service';
import { type AllocationRequest, AllocationService } from './allocation.service';
import { type PlanAdjustment, PlanService, type PlanYearRequest } from './plan.service';

type Answer<F extends (...args: any[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** Publish the year's plan from an uploaded table (CSV, GBK CSV or xlsx). */
export class ImportPlanCommand extends Command<Answer<PlanService['importPlan']>> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly file: unknown,
    readonly contentType: string | undefined,
    readonly reportingFrom?: string,
  ) {
    super();
  }
}

@CommandHandler(ImportPlanCommand)
export class ImportPlanHandler implements ICommandHandler<ImportPlanCommand> {
  constructor(private readonly plans: PlanService) {}
  execute(c: ImportPlanCommand) {
    return this.plans.importPlan(c.actor, c.year, c.file, c.contentType, c.reportingFrom);
  }
}

/** Change one unit's task from now on, with a reason. */
export class AdjustPlanCommand extends Command<Answer<PlanService['adjust']>> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly adjustment: PlanAdjustment,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(AdjustPlanCommand)
export class AdjustPlanHandler implements ICommandHandler<AdjustPlanCommand> {
  constructor(private readonly plans: PlanService) {}
  execute(c: AdjustPlanCommand) {
    return this.plans.adjust(c.actor, c.year, c.adjustment, c.expectedVersion);
  }
}

/** The year's life: move the reporting start, close or reopen the year (each with a reason). */
export class PlanYearCommand extends Command<Answer<PlanService['yearCommand']>> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly request: PlanYearRequest,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(PlanYearCommand)
export class PlanYearHandler implements ICommandHandler<PlanYearCommand> {
  constructor(private readonly plans: PlanService) {}
  execute(c: PlanYearCommand) {
    return this.plans.yearCommand(c.actor, c.year, c.request, c.expectedVersion);
  }
}

/** One change of a region's split: a school's share, publishing, a transfer. */
export class AllocationStepCommand extends Command<Answer<AllocationService['command']>> {
  constructor(
    readonly actor: Actor,
    readonly year: number,
    readonly regionCode: string,
    readonly request: AllocationRequest,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(AllocationStepCommand)
export class AllocationStepHandler implements ICommandHandler<AllocationStepCommand> {
  constructor(private readonly allocations: AllocationService) {}
  execute(c: AllocationStepCommand) {
    return this.allocations.command(c.actor, c.year, c.regionCode, c.request, c.expectedVersion);
  }
}

/** A region registers one of its secondary vocational schools. */
export class RegisterSchoolCommand extends Command<Answer<UnitsService['registerSchool']>> {
  constructor(
    readonly actor: Actor,
    readonly school: { code: string; name: string; parentCode: string },
  ) {
    super();
  }
}

@CommandHandler(RegisterSchoolCommand)
export class RegisterSchoolHandler implements ICommandHandler<RegisterSchoolCommand> {
  constructor(private readonly units: UnitsService) {}
  execute(c: RegisterSchoolCommand) {
    return this.units.registerSchool(c.actor, c.school);
  }
}

export const PLAN_HANDLERS = [
  ImportPlanHandler,
  AdjustPlanHandler,
  PlanYearHandler,
  AllocationStepHandler,
  RegisterSchoolHandler,
];
