import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The PostgreSQL server binaries of this machine (initdb, pg_ctl, pg_basebackup), when there are any. */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort().pop();
  const dir = version ? join(root, version, 'bin') : null;
  return dir && existsSync(join(dir, 'initdb')) ? dir : null;
}

/**
 * A PostgreSQL cluster of the test's own, in its own directory and on its own port, run as the
 * `postgres` user: the one place WAL archiving can be switched on and the server lost, without touching
 * the machine's shared server. Null when the test cannot do that (not root, no server binaries).
 */
export function privateClusterTools() {
  const bin = binDir();
  if (!bin || process.getuid?.() !== 0) return null;
  let ids: { uid: number; gid: number };
  try {
    ids = {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    return null;
  }
  const asPostgres = (tool: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], {
      stdio: 'pipe',
      timeout: 120_000,
    });
  const own = (path: string) => {
    mkdirSync(path, { recursive: true });
    chownSync(path, ids.uid, ids.gid);
  };

  /** A server on `dataDir`: start, stop (immediate: the machine is lost, nothing flushed), its URL. */
  const server = (dataDir: string, port: number, logFile: string) => ({
    url: (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => asPostgres('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '120', 'start']),
    crash: () => asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']),
    stopQuietly() {
      try {
        if (existsSync(join(dataDir, 'postmaster.pid')))
          asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone.
      }
    },
  });

  return {
    own,
    server,
    /** initdb with trust on loopback, archiving every finished segment (or every `archiveTimeoutS`) to `archiveDir`. */
    initdb(dataDir: string, port: number, socketDir: string, archiveDir: string, archiveTimeoutS: number) {
      own(archiveDir);
      own(socketDir);
      asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
      appendFileSync(
        join(dataDir, 'postgresql.conf'),
        [
          `port = ${port}`,
          `listen_addresses = '127.0.0.1'`,
          `unix_socket_directories = '${socketDir}'`,
          `max_connections = 40`,
          `shared_buffers = 16MB`,
          `wal_level = replica`,
          `archive_mode = on`,
          `archive_command = 'test ! -f ${archiveDir}/%f && cp %p ${archiveDir}/%f'`,
          `archive_timeout = ${archiveTimeoutS}`,
          '',
        ].join('\n'),
      );
    },
    baseBackup(url: string, into: string) {
      asPostgres('pg_basebackup', ['-d', url, '-D', into, '-X', 'stream', '-c', 'fast']);
    },
    /**
     * A new data directory from the base backup, set to replay the archive: to `targetName` (a restore
     * point) or to the end of what was archived. It archives nothing itself, so the archive stays as it was.
     */
    recoveryFrom(base: string, dataDir: string, port: number, archiveDir: string, targetName?: string) {
      cpSync(base, dataDir, { recursive: true });
      execFileSync('chown', ['-R', 'postgres:postgres', dataDir]);
      execFileSync('chmod', ['700', dataDir]);
      appendFileSync(
        join(dataDir, 'postgresql.conf'),
        [
          `port = ${port}`,
          `archive_mode = off`,
          `restore_command = 'cp ${archiveDir}/%f %p'`,
          ...(targetName ? [`recovery_target_name = '${targetName}'`] : []),
          `recovery_target_action = 'promote'`,
          '',
        ].join('\n'),
      );
      writeFileSync(join(dataDir, 'recovery.signal'), '');
      chownSync(join(dataDir, 'recovery.signal'), ids.uid, ids.gid);
    },
  };
}
