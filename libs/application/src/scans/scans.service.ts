import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type AttachScan,
  checkScanContent,
  DomainError,
  fold,
  isScanContentType,
  MAX_SCAN_BYTES,
  type ReportEvent,
  type ReportScan,
  reportDecider,
  reportStreamId,
  yearClosed,
} from '@app/domain';
import { EventStore, VersionConflictError } from '@app/event-store';
import { Clock } from '@app/platform/clock';
import { CommandExecutor } from '../command-executor';
import { ProblemException } from '../problem';
import { ReportScopes } from '../reports/report-scope';
import { ScanDeliveries } from './scan-deliveries';
import { sha256Of, ScanStore } from './scan-store';

export interface ScanAnswer {
  revision: number;
  sha256: string;
  contentType: string;
  bytes: number;
  uploadedAt: string;
}

/** A concurrent write (the deadline sweep, say) moved the stream: the upload, which has no If-Match, tries again. */
const ATTEMPTS = 3;

const answerOf = (scan: ReportScan): ScanAnswer => ({
  revision: scan.revision,
  sha256: scan.sha256,
  contentType: scan.contentType,
  bytes: scan.bytes,
  uploadedAt: scan.uploadedAt,
});

/**
 * The sealed form of a monthly report: checked by its content, stored by its sha256, recorded in the
 * report's stream, and queued for the province inbox in the same transaction as the event.
 */
@Injectable()
export class ScansService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly events: EventStore,
    private readonly scopes: ReportScopes,
    private readonly store: ScanStore,
    private readonly deliveries: ScanDeliveries,
    private readonly clock: Clock,
  ) {}

  async upload(
    actor: Actor,
    unitCode: string,
    period: string,
    contentType: string,
    body: unknown,
  ): Promise<{ body: ScanAnswer; version: number }> {
    const type = contentType.split(';')[0].trim().toLowerCase();
    if (!isScanContentType(type)) {
      throw new ProblemException('UNSUPPORTED_MEDIA_TYPE', '盖章扫描件只能是 PDF、JPEG 或 PNG 文件');
    }
    const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (content.length > MAX_SCAN_BYTES) {
      throw new ProblemException(
        'PAYLOAD_TOO_LARGE',
        '盖章扫描件不能超过 10 MiB，请压缩或降低分辨率后重新上传',
      );
    }
    checkScanContent(type, content);
    const scope = await this.scopes.resolve(unitCode, period);
    if (scope.plan.closed) throw yearClosed(scope.year);
    const streamId = reportStreamId(unitCode, period);
    const sha256 = sha256Of(content);
    const command = (now: Date): AttachScan => ({
      type: 'AttachScan',
      data: { sha256, contentType: type, bytes: content.length },
      at: now.toISOString(),
      actor,
    });

    // Judge the rules before the bytes are stored, so a refused upload leaves nothing behind.
    const before = await this.executor.load(streamId, reportDecider);
    reportDecider.decide(command(this.clock.now()), before.state);
    await this.store.put(sha256, type, content, this.clock.now());

    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.executor.execute({
          streamId,
          decider: reportDecider,
          actor,
          command,
          alsoInTransaction: async (tx, stored) => {
            for (const e of stored) {
              if (e.type === 'ReportScanAttached') {
                await this.deliveries.enqueue(tx, unitCode, period, e.data.sha256, new Date(e.recordedAt));
              }
            }
          },
        });
        if (result.events.length > 0) this.deliveries.wake(unitCode, period, sha256);
        return { body: answerOf(result.state.scan as ReportScan), version: result.version };
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

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
