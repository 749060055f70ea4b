import { Injectable } from '@nestjs/common';
import { DomainError, fold, type ReportEvent, reportDecider, reportStreamId } from '@app/domain';
import { EventStore } from '@app/event-store';
import { ProblemException } from '../problem';
import { ReportScopes } from '../reports/report-scope';
import { sha256Of, ScanStore } from './scan-store';

/** Reading a report's sealed form back (uploading it is `UploadScanHandler` in `scans.commands.ts`). */
@Injectable()
export class ScansService {
  constructor(
    private readonly events: EventStore,
    private readonly scopes: ReportScopes,
    private readonly store: ScanStore,
  ) {}

  /**
   * The scan of the revision being worked on (or, while an amendment has none yet, the official one's), or
   * with `sha256` any scan this report's history names. The bytes are re-hashed before they leave: a file
   * that no longer matches its ledger event is refused, never served as if it were the original.
   */
  async download(unitCode: string, period: string, sha256?: string) {
    await this.scopes.resolve(unitCode, period);
    const events = (await this.events.readStream(
      reportStreamId(unitCode, period),
    )) as unknown as ReportEvent[];
    const state = fold(reportDecider, events);
    const scan = sha256
      ? events.filter((e) => e.type === 'ReportScanAttached').find((e) => e.data.sha256 === sha256)?.data
      : (state.scan ?? state.officialScan);
    if (!scan) {
      throw new DomainError(
        'NOT_FOUND',
        sha256
          ? `${unitCode} ${period} 的月报没有这份扫描件`
          : `${unitCode} ${period} 的月报尚未上传盖章扫描件`,
      );
    }
    const stored = await this.store.get(scan.sha256);
    if (!stored || sha256Of(stored.content) !== scan.sha256) {
      throw new ProblemException(
        'SCAN_ALTERED',
        '存储的扫描件与台账记录的摘要不一致，已拒绝提供；请联系管理员核查（账本校验会列出该文件）',
        undefined,
        500,
      );
    }
    return { scan, content: stored.content };
  }
}
