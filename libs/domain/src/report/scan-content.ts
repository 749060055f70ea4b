import { DomainError } from '../shared/errors';

export const SCAN_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanContentType = (typeof SCAN_CONTENT_TYPES)[number];

/** 10 MiB: a phone photo or a scanned page at office resolution, far below what a mail server takes. */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

export const SCAN_TYPE_LABELS: Record<ScanContentType, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

export const isScanContentType = (type: unknown): type is ScanContentType =>
  (SCAN_CONTENT_TYPES as readonly unknown[]).includes(type);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_END = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]; // the IEND chunk's type and CRC
const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const latin1 = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(Math.max(0, from), Math.max(0, to)));

/** What the bytes are, by their first bytes (magic numbers); null when none of the three. */
export function sniffScanType(bytes: Uint8Array): ScanContentType | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  // A PDF header may follow a little junk (some scanners prepend it); readers look in the first 1 KiB.
  if (latin1(bytes, 0, 1024).includes('%PDF-')) return 'application/pdf';
  return null;
}

/**
 * Whether a file ends as its kind must end: a file cut short (an upload broken off, a partial copy) keeps
 * its magic bytes but loses its end marker. PDF readers look for %%EOF in the last 1 KiB.
 */
function isComplete(type: ScanContentType, bytes: Uint8Array): boolean {
  switch (type) {
    case 'image/png':
      return startsWith(bytes, PNG_END, bytes.length - PNG_END.length);
    case 'image/jpeg': {
      // The end-of-image marker, possibly followed by padding some cameras add.
      const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
      for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
      return false;
    }
    case 'application/pdf':
      return latin1(bytes, bytes.length - 1024, bytes.length).includes('%%EOF');
  }
}

/**
 * The declared type must be what the bytes are, and the file must be whole: a renamed Word file, a PNG
 * sent as a PDF or a photo cut off in transfer is refused with the reason in words the filler can act on.
 */
export function checkScanContent(declared: ScanContentType, bytes: Uint8Array): void {
  if (bytes.length === 0) throw new DomainError('SCAN_CONTENT_MISMATCH', '上传的文件是空的');
  const actual = sniffScanType(bytes);
  if (actual === null) {
    throw new DomainError(
      'SCAN_CONTENT_MISMATCH',
      `文件内容不是 ${SCAN_TYPE_LABELS[declared]}：请上传扫描或拍照得到的 PDF、JPEG 或 PNG 文件`,
    );
  }
  if (actual !== declared) {
    throw new DomainError(
      'SCAN_CONTENT_MISMATCH',
      `文件声明为 ${SCAN_TYPE_LABELS[declared]}，内容却是 ${SCAN_TYPE_LABELS[actual]}，请检查后重新上传`,
    );
  }
  if (!isComplete(actual, bytes)) {
    throw new DomainError(
      'SCAN_CONTENT_MISMATCH',
      `${SCAN_TYPE_LABELS[actual]} 文件不完整（可能上传中断或文件已损坏），请重新上传`,
    );
  }
}
