import { Command, DomainEvent } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { invalid, requireInstant } from '../shared/validation';
import { isScanContentType, MAX_SCAN_BYTES, SCAN_TYPE_LABELS, type ScanContentType } from './scan-content';

/** The sealed paper form (签字盖章扫描件) as the ledger knows it: its fingerprint, never its bytes. */
export interface ReportScan {
  revision: number;
  sha256: string;
  contentType: ScanContentType;
  bytes: number;
  uploadedAt: string;
  uploadedBy: { userId: string; username: string };
}

/** `revision` is the revision whose signed form the scan pictures. */
export type ReportScanAttached = DomainEvent<'ReportScanAttached', ReportScan>;

/** The file was checked by its content before this command is issued; the domain judges when it may come. */
export type AttachScan = Command<'AttachScan', { sha256: string; contentType: string; bytes: number }>;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A scan pictures the form both signed, so it comes after the leader's signature: on a submitted revision,
 * or an accepted one that has none yet. An accepted revision's scan is part of what was accepted, so it is
 * replaced only by amending. The same file again is a retry and records nothing.
 */
export function attachScan({ data, at, actor }: AttachScan, state: ScanSlice): ReportScanAttached[] {
  if (typeof data.sha256 !== 'string' || !SHA256.test(data.sha256)) throw invalid('扫描件摘要不正确');
  if (!isScanContentType(data.contentType)) throw invalid('扫描件只能是 PDF、JPEG 或 PNG');
  if (!Number.isInteger(data.bytes) || data.bytes < 1 || data.bytes > MAX_SCAN_BYTES) {
    throw invalid('扫描件大小不符合要求');
  }
  // The same file again is a retry (also after acceptance), whatever came in between.
  if (state.scan?.sha256 === data.sha256 && state.scan.revision === state.revision) return [];
  if (state.status === 'accepted' && state.scan) {
    throw new DomainError(
      'SCAN_LOCKED',
      `第 ${state.revision} 版月报已确认，盖章扫描件不能再替换；如需更正，请先提出修订`,
    );
  }
  if (state.status !== 'submitted' && state.status !== 'accepted') {
    throw new DomainError('INVALID_TRANSITION', '领导小组组长签字报送后才能上传盖章扫描件');
  }
  return [
    {
      type: 'ReportScanAttached',
      data: {
        revision: state.revision,
        sha256: data.sha256,
        contentType: data.contentType,
        bytes: data.bytes,
        uploadedAt: requireInstant(at, 'at'),
        uploadedBy: { userId: actor.userId, username: actor.username },
      },
    },
  ];
}

/** What the scan rules read of a report's state. */
export interface ScanSlice {
  status: string;
  revision: number;
  scan: ReportScan | null;
}

/** Acceptance while the plan year requires the sealed form and this revision has none. */
export function requireScanBeforeAcceptance(required: boolean | undefined, state: ScanSlice): void {
  if (required && !state.scan) {
    throw new DomainError(
      'SCAN_REQUIRED',
      `本年度要求先上传签字盖章的月报扫描件（${Object.values(SCAN_TYPE_LABELS).join('、')}）才能确认`,
    );
  }
}
