import { inflateRawSync } from 'node:zlib';
import { ProblemException } from '../problem';

/** What an office workbook of a plan or a month's figures never comes near. */
export const ZIP_LIMITS = {
  entries: 500,
  entryBytes: 20 * 1024 * 1024,
  totalBytes: 50 * 1024 * 1024,
  rows: 10_000,
  cells: 200_000,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const refuse = (detail: string): never => {
  throw new ProblemException('VALIDATION_FAILED', detail);
};

/**
 * Judges an xlsx (a zip) from its central directory before anything inflates it: too many entries,
 * an entry or a total above the caps, zip64, or a method other than stored/deflate is refused. Each
 * entry is then inflated with its declared size as a hard ceiling, so a directory that lies stops
 * at the lie; worksheets are held to a number of rows and cells. A decompression bomb costs
 * milliseconds, never the 500 MB it would inflate to.
 */
export function assertZipWithinLimits(bytes: Buffer, limits = ZIP_LIMITS): void {
  const end = findEndOfCentralDirectory(bytes);
  const entries = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) refuse('Excel 文件过大（ZIP64），无法读取');
  if (entries > limits.entries) refuse(`Excel 文件包含的部件过多（${entries} 个）`);
  let offset = directoryOffset;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== CENTRAL) refuse('Excel 文件已损坏');
    const method = bytes.readUInt16LE(offset + 10);
    const compressed = bytes.readUInt32LE(offset + 20);
    const size = bytes.readUInt32LE(offset + 24);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const skip = nameLength + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
    const local = bytes.readUInt32LE(offset + 42);
    const name = bytes.toString('utf8', offset + 46, offset + 46 + nameLength);
    total += size;
    if (size > limits.entryBytes || total > limits.totalBytes) {
      refuse(
        `Excel 文件解压后过大（超过 ${limits.entryBytes / 1048576} MB / 合计 ${limits.totalBytes / 1048576} MB）`,
      );
    }
    if (method !== 0 && method !== 8) refuse('Excel 文件使用了不支持的压缩方式');
    const content = inflateBounded(bytes, local, compressed, size, method);
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) assertSheetSize(content, limits);
    offset += 46 + skip;
  }
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= stop; at--) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
  }
  return refuse('无法读取 Excel 文件（需要 .xlsx 格式）');
}

function inflateBounded(bytes: Buffer, local: number, compressed: number, size: number, method: number) {
  if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) refuse('Excel 文件已损坏');
  const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
  const data = bytes.subarray(start, start + compressed);
  if (method === 0) return data;
  try {
    // One byte of room: an entry that inflates beyond its declared size is a lie, and stops here.
    const out = inflateRawSync(data, { maxOutputLength: size + 1 });
    if (out.length !== size) refuse('Excel 文件已损坏（解压后大小与声明不符）');
    return out;
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    return refuse('Excel 文件已损坏或解压后大小与声明不符');
  }
}

function assertSheetSize(xml: Buffer, limits: typeof ZIP_LIMITS): void {
  const text = xml.toString('latin1');
  const rows = text.match(/<row[\s>]/g)?.length ?? 0;
  const cells = text.match(/<c[\s>]/g)?.length ?? 0;
  if (rows > limits.rows || cells > limits.cells) {
    refuse(`Excel 工作表过大（最多 ${limits.rows} 行、${limits.cells} 个单元格）`);
  }
}
