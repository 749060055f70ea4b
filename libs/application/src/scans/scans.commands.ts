import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type Actor,
  type AttachScan,
  checkScanContent,
  isScanContentType,
  MAX_SCAN_BYTES,
  type ReportEvent,
  type ReportScan,
  reportDecider,
  reportStreamId,
  yearClosed,
} from '@app/domain';
import { type StoredAs, VersionConflictError } from '@app/event-store';
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
 * The unit's filler uploads the signed and sealed paper form of a monthly report. The file is the
 * request (the AttachScan command is read from its bytes: digest, type, size), so it travels as it came.
 */
export class UploadScanCommand extends Command<{ body: ScanAnswer; version: number }> {
  constructor(
    readonly actor: Actor,
    readonly unitCode: string,
    readonly period: string,
    readonly contentType: string,
    readonly file: unknown,
  ) {
    super();
  }
}

/**
 * The sealed form of a monthly report: checked by its content, stored by its sha256, recorded in the
 * report's stream, and queued for the province inbox in the same transaction as the event.
 */
@CommandHandler(UploadScanCommand)
export class UploadScanHandler implements ICommandHandler<UploadScanCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly scopes: ReportScopes,
    private readonly store: ScanStore,
    private readonly deliveries: ScanDeliveries,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, unitCode, period, contentType, file }: UploadScanCommand) {
    const type = contentType.split(';')[0].trim().toLowerCase();
    if (!isScanContentType(type)) {
      throw new ProblemException('UNSUPPORTED_MEDIA_TYPE', '盖章扫描件只能是 PDF、JPEG 或 PNG 文件');
    }
    const content = Buffer.isBuffer(file) ? file : Buffer.alloc(0);
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
            for (const e of stored as StoredAs<ReportEvent>[]) {
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
}

export const SCAN_HANDLERS = [UploadScanHandler];
