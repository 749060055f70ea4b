import {
  Command,
  CommandHandler,
  type ICommandHandler,
  IQueryHandler,
  Query,
  QueryHandler,
} from '@nestjs/cqrs';
import type { Actor } from '@app/domain';
import { type ReportView, ReportViews } from './report-view';
import { type ReportRequest, ReportsService } from './reports.service';

type ReportAnswer = { body: ReportView; version: number };

/** One step of a monthly report's approval chain, with the version the caller last saw. */
export class ReportStepCommand extends Command<ReportAnswer> {
  constructor(
    readonly actor: Actor,
    readonly unitCode: string,
    readonly period: string,
    readonly request: ReportRequest,
    readonly expectedVersion: number,
  ) {
    super();
  }
}

@CommandHandler(ReportStepCommand)
export class ReportStepHandler implements ICommandHandler<ReportStepCommand> {
  constructor(private readonly reports: ReportsService) {}

  execute(c: ReportStepCommand): Promise<ReportAnswer> {
    return this.reports.handle(c.actor, c.unitCode, c.period, c.request, c.expectedVersion);
  }
}

/** A report now, or as it stood at an instant. */
export class GetReportQuery extends Query<ReportAnswer> {
  constructor(
    readonly unitCode: string,
    readonly period: string,
    readonly asOf?: Date,
  ) {
    super();
  }
}

@QueryHandler(GetReportQuery)
export class GetReportHandler implements IQueryHandler<GetReportQuery> {
  constructor(private readonly views: ReportViews) {}

  execute(q: GetReportQuery): Promise<ReportAnswer> {
    return this.views.get(q.unitCode, q.period, q.asOf);
  }
}

export const REPORT_HANDLERS = [ReportStepHandler, GetReportHandler];
