import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packDirectory, TarError, unpackArchive } from './tar';

/** Every path under `dir` with its content (directories as null), for comparing two trees. */
async function tree(dir: string, at = ''): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const entry of await readdir(join(dir, at), { withFileTypes: true })) {
    const name = at ? `${at}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, { [name]: null }, await tree(dir, name));
    else out[name] = (await readFile(join(dir, name))).toString('base64');
  }
  return out;
}

const hasTar = (() => {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the tar archive of a data directory', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'skills-tar-'));
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  const source = async () => {
    const src = join(tmp, 'src');
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
    await mkdir(join(src, 'base/16384'), { recursive: true });
    await mkdir(join(src, 'pg_tblspc'), { recursive: true }); // empty: PostgreSQL needs it back
    await mkdir(join(src, deep), { recursive: true });
    await writeFile(join(src, 'PG_VERSION'), '18\n');
    await writeFile(join(src, 'base/16384/2608'), Buffer.alloc(8192 * 3 + 17, 7)); // not a whole block
    await writeFile(join(src, 'base/16384/empty'), '');
    await writeFile(join(src, deep, 'f'.repeat(90)), 'a long path, split into prefix and name');
    await writeFile(join(src, 'postmaster.pid'), '-42\n');
    return src;
  };

  it('unpacks to the same tree, empty directories included, leaving out what it was told to', async () => {
    const src = await source();
    const archive = join(tmp, 'a.tar');
    const bytes = await packDirectory(src, archive, (name) => name === 'postmaster.pid');
    expect((await stat(archive)).size).toBe(bytes);
    expect(bytes % 512).toBe(0);
    await unpackArchive(archive, join(tmp, 'out'));
    const expected = await tree(src);
    delete expected['postmaster.pid'];
    expect(await tree(join(tmp, 'out'))).toEqual(expected);
  });

  (hasTar ? it : it.skip)('is read by the system tar as the same tree', async () => {
    const src = await source();
    const archive = join(tmp, 'a.tar');
    await packDirectory(src, archive, () => false);
    await mkdir(join(tmp, 'by-tar'));
    execFileSync('tar', ['-xf', archive, '-C', join(tmp, 'by-tar')]);
    expect(await tree(join(tmp, 'by-tar'))).toEqual(await tree(src));
  });

  it('refuses to write into a file that exists already', async () => {
    const src = await source();
    await writeFile(join(tmp, 'a.tar'), 'x');
    await expect(packDirectory(src, join(tmp, 'a.tar'), () => false)).rejects.toThrow(/EEXIST/);
  });

  it('refuses an entry that climbs out of the target, and a damaged header', async () => {
    const src = join(tmp, 'evil');
    await mkdir(join(src, 'a'), { recursive: true });
    await writeFile(join(src, 'a/b'), 'x');
    const archive = join(tmp, 'evil.tar');
    await packDirectory(src, archive, () => false);
    const bytes = await readFile(archive);
    // Rename the second entry 'a/b' to '../b' (same length), with a correct checksum.
    const header = bytes.subarray(512, 1024);
    header.write('../b', 0, 100, 'utf8');
    header.fill(0x20, 148, 156);
    const sum = header.reduce((t, b) => t + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    await writeFile(archive, bytes);
    await expect(unpackArchive(archive, join(tmp, 'out'))).rejects.toThrow(TarError);
    await expect(stat(join(tmp, 'b'))).rejects.toThrow(/ENOENT/);

    bytes[0] ^= 0x01;
    await writeFile(archive, bytes);
    await expect(unpackArchive(archive, join(tmp, 'out2'))).rejects.toThrow(/damaged/);
  });
});
