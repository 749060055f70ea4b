import { type FileHandle, mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';

/**
 * A plain ustar archive of a directory: regular files and directories only, the form PostgreSQL's data
 * directory has. Written here, not by a `tar` binary, because the embedded mode promises a PC with
 * nothing but Node.js; any tar (GNU, bsdtar, Windows' tar.exe) reads the result.
 */
const BLOCK = 512;
const CHUNK = 1 << 20;

export class TarError extends Error {}

function octal(buffer: Buffer, value: number, offset: number, length: number): void {
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** ustar keeps a path in a 155-byte prefix and a 100-byte name, split at a slash. */
function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let at = name.indexOf('/'); at > 0; at = name.indexOf('/', at + 1)) {
    const prefix = name.slice(0, at);
    const base = name.slice(at + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  throw new TarError(`path too long for a tar archive: ${name}`);
}

function header(name: string, type: '0' | '5', size: number, mode: number, mtimeMs: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { prefix, base } = splitName(name);
  block.write(base, 0, 100, 'utf8');
  octal(block, mode & 0o7777, 100, 8);
  octal(block, 0, 108, 8);
  octal(block, 0, 116, 8);
  octal(block, size, 124, 12);
  octal(block, Math.floor(mtimeMs / 1000), 136, 12);
  block.fill(0x20, 148, 156);
  block.write(type, 156, 1, 'ascii');
  block.write('ustar\0' + '00', 257, 8, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** Archives everything under `dir` (sorted, `skip` left out) into `file`; answers the bytes written. */
export async function packDirectory(
  dir: string,
  file: string,
  skip: (name: string) => boolean,
): Promise<number> {
  const out = await open(file, 'wx');
  let written = 0;
  const write = async (data: Buffer) => {
    await out.write(data);
    written += data.length;
  };
  const walk = async (relative: string): Promise<void> => {
    const entries = (await readdir(join(dir, relative), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(name)) continue;
      const info = await stat(join(dir, name));
      if (entry.isDirectory()) {
        await write(header(`${name}/`, '5', 0, info.mode, info.mtimeMs));
        await walk(name);
      } else if (entry.isFile()) {
        await write(header(name, '0', info.size, info.mode, info.mtimeMs));
        await copyInto(join(dir, name), info.size, write);
      } else {
        throw new TarError(`not a regular file or directory: ${name}`);
      }
    }
  };
  try {
    await walk('');
    await write(Buffer.alloc(2 * BLOCK));
  } finally {
    await out.close();
  }
  return written;
}

async function copyInto(path: string, size: number, write: (data: Buffer) => Promise<void>): Promise<void> {
  const input = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK);
    let left = size;
    while (left > 0) {
      const { bytesRead } = await input.read(buffer, 0, Math.min(CHUNK, left), size - left);
      // The directory must hold still while it is archived; a file that shrank means it did not.
      if (bytesRead === 0) throw new TarError(`${path} changed while it was archived`);
      await write(Buffer.from(buffer.subarray(0, bytesRead)));
      left -= bytesRead;
    }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await write(Buffer.alloc(pad));
  } finally {
    await input.close();
  }
}

const text = (block: Buffer, offset: number, length: number) => {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
};

/** A name the archive may hold: relative, inside the target, no climbing out of it. */
function safePath(root: string, name: string): string {
  const clean = normalize(name.replace(/\/+$/, ''));
  if (!clean || clean.startsWith('..') || clean.split(sep).includes('..') || clean.startsWith(sep)) {
    throw new TarError(`refusing archive entry outside the target: ${name}`);
  }
  return join(root, clean);
}

/** Unpacks an archive written by `packDirectory` (or any plain ustar) into the directory `target`. */
export async function unpackArchive(file: string, target: string): Promise<number> {
  const input = await open(file, 'r');
  let files = 0;
  try {
    await mkdir(target, { recursive: true, mode: 0o700 });
    const block = Buffer.alloc(BLOCK);
    for (let position = 0; ;) {
      const { bytesRead } = await input.read(block, 0, BLOCK, position);
      if (bytesRead < BLOCK) throw new TarError('the archive ends early');
      position += BLOCK;
      if (block.every((byte) => byte === 0)) return files;
      const stored = parseInt(text(block, 148, 8).trim(), 8);
      const copy = Buffer.from(block);
      copy.fill(0x20, 148, 156);
      if (copy.reduce((t, b) => t + b, 0) !== stored) throw new TarError('an archive header is damaged');
      const prefix = text(block, 345, 155);
      const name = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
      const size = parseInt(text(block, 124, 12).trim() || '0', 8);
      const mode = parseInt(text(block, 100, 8).trim() || '600', 8);
      const type = String.fromCharCode(block[156] || 0x30);
      const path = safePath(target, name);
      if (type === '5') {
        await mkdir(path, { recursive: true, mode: mode || 0o700 });
      } else if (type === '0') {
        await extract(input, position, size, path, mode);
        files += 1;
        position += Math.ceil(size / BLOCK) * BLOCK;
      } else {
        throw new TarError(`unsupported archive entry type ${type}: ${name}`);
      }
    }
  } finally {
    await input.close();
  }
}

async function extract(input: FileHandle, from: number, size: number, path: string, mode: number) {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const out = await open(path, 'wx', mode || 0o600);
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (let done = 0; done < size;) {
      const { bytesRead } = await input.read(buffer, 0, Math.min(CHUNK, size - done), from + done);
      if (bytesRead === 0) throw new TarError(`the archive ends inside ${path}`);
      await out.write(buffer.subarray(0, bytesRead));
      done += bytesRead;
    }
  } finally {
    await out.close();
  }
}
