import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProgressExport } from '@app/application/exports/progress-export.service';
import { reportFormHtml, reportFormWorkbook } from '@app/application/exports/report-form';
import { XLSX_TYPE } from '@app/application/plan/table-file';
import { QueryBus } from '@nestjs/cqrs';
import { GetReportQuery } from '@app/application/reports/reports.commands';
import { ReadModelFreshness } from '@app/application/read-models/freshness';
import { ProgressExportQuery } from './exports.dto';
import { Allow, REPORT_READERS, regionInQuery, role } from '../auth/access';
import { attachmentDisposition } from '../http/content-disposition';
import { PeriodPipe, UnitCodePipe, YearPipe } from '../http/params';
import { GUARDED, ProblemResponses } from '../http/problem-responses';

const attachment = (res: Response, name: string) =>
  res.setHeader('Content-Disposition', attachmentDisposition(name));

/** Workbooks and forms for offices that work with Excel and paper. */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1')
export class ExportsController {
  constructor(
    private readonly progress: ProgressExport,
    private readonly queries: QueryBus,
    private readonly freshness: ReadModelFreshness,
  ) {}

  /** The progress table in Annex 1 layout with this month, cumulative, rate and the platform difference. */
  @ApiOperation({ summary: '任务进度表（xlsx）' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND', 'READ_MODEL_BEHIND')
  @Get('plans/:year/progress.xlsx')
  @Allow(role('province-admin', 'auditor'), regionInQuery('region'))
  @ApiProduces(XLSX_TYPE)
  async progressWorkbook(
    @Param('year', YearPipe) year: number,
    @Query() q: ProgressExportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.freshness.atLeast(q.minPosition);
    const body = await this.progress.workbook(year, q.period, q.region, q.sheets === 'regions');
    res.setHeader('Content-Type', XLSX_TYPE);
    attachment(res, `任务进度-${q.region ?? '全省'}-${q.period}.xlsx`);
    return new StreamableFile(body);
  }

  /** The filled Annex 2 form as a workbook. */
  @ApiOperation({ summary: '月报表（附件 2，xlsx）' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('units/:code/reports/:period/form.xlsx')
  @Allow(...REPORT_READERS('code'))
  @ApiProduces(XLSX_TYPE)
  async formWorkbook(
    @Param('code', UnitCodePipe) code: string,
    @Param('period', PeriodPipe) period: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { body } = await this.queries.execute(new GetReportQuery(code, period));
    res.setHeader('Content-Type', XLSX_TYPE);
    attachment(res, `月报表-${body.unitName}-${period}.xlsx`);
    return new StreamableFile(await reportFormWorkbook(body));
  }

  /** The filled Annex 2 form, ready to print, sign and stamp. */
  @ApiOperation({ summary: '月报表（附件 2，打印页）' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('units/:code/reports/:period/form.html')
  @Allow(...REPORT_READERS('code'))
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  async formPage(@Param('code', UnitCodePipe) code: string, @Param('period', PeriodPipe) period: string) {
    const { body } = await this.queries.execute(new GetReportQuery(code, period));
    return reportFormHtml(body);
  }
}
