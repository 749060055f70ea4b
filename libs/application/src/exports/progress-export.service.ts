import { Injectable } from '@nestjs/common';
import { ProgressQuery } from '../reports/progress.query';
import { UnitDirectory } from '../units/unit-directory';
import { PlatformFiguresService } from './platform-figures.service';
import { progressWorkbook, type ReconciledTraining } from './progress-workbook';

/** The progress workbook: the province view (or one region's), optionally with a sheet per region. */
@Injectable()
export class ProgressExport {
  constructor(
    private readonly progress: ProgressQuery,
    private readonly platform: PlatformFiguresService,
    private readonly units: UnitDirectory,
  ) {}

  async workbook(year: number, period: string, region?: string, sheetPerRegion = false): Promise<Buffer> {
    const main = await this.progress.progress(year, period, region);
    const regionName = region ? ((await this.units.find(region))?.name ?? region) : null;
    const views = [{ title: regionName ?? '全省', view: main }];
    if (!region && sheetPerRegion) {
      for (const row of main.units.filter((u) => u.kind === 'region')) {
        views.push({
          title: row.name.replace(/[\\/?*[\]:]/g, ''),
          view: await this.progress.progress(year, period, row.code),
        });
      }
    }
    const { units } = await this.platform.reconciliation(year, period);
    const reconciliation = new Map<string, ReconciledTraining>(
      units.map((u) => [u.code, { platform: u.platform, difference: u.difference }]),
    );
    return progressWorkbook(views, reconciliation);
  }
}
