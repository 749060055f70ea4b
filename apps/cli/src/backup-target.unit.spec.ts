import { resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parseBackupArgs } from './backup-target';

function io(env: NodeJS.ProcessEnv) {
  let stderr = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      stderr += chunk.toString();
      done();
    },
  });
  return { io: { stdout: sink, stderr: sink, stdin: new PassThrough(), env }, said: () => stderr };
}

describe('the arguments of backup and restore', () => {
  it('takes one directory and the server settings', () => {
    const { io: cli } = io({ DATABASE_URL: 'postgres://postgres@db:5432/skills' });
    const target = parseBackupArgs('backup', ['/backups/b1'], cli);
    expect(target).toMatchObject({ dir: '/backups/b1', embedded: undefined });
    expect(typeof target !== 'number' && target.config.DATABASE_URL).toBe(
      'postgres://postgres@db:5432/skills',
    );
  });

  it.each([[[]], [['a', 'b']], [['--force', 'a']], [['--embedded', '--embedded=x', 'a']]])(
    'answers the usage and exit code 2 for %j',
    (args) => {
      for (const name of ['backup', 'restore'] as const) {
        const { io: cli, said } = io({});
        expect(parseBackupArgs(name, args, cli)).toBe(2);
        expect(said()).toContain(`usage: ${name} [--embedded[=DATA_DIR]] DIR`);
      }
    },
  );

  it('with --embedded: var/pgdata (or QUICKSTART_VAR_DIR), its checkpoints beside it, the caller database ignored', () => {
    const env = { DATABASE_URL: 'not a url', PGHOST: 'elsewhere', QUICKSTART_VAR_DIR: '/srv/qs' };
    const target = parseBackupArgs('restore', ['--embedded', 'b1'], io(env).io);
    expect(target).toMatchObject({ dir: 'b1', embedded: '/srv/qs/pgdata' });
    if (typeof target === 'number') throw new Error('refused');
    expect(target.config.AUDIT_CHECKPOINT_DIR).toBe('/srv/qs/checkpoints');
    expect(target.config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/skills'); // the default, unused

    const demo = parseBackupArgs('backup', ['--embedded=var/pgdata-demo', 'b2'], io({}).io);
    expect(demo).toMatchObject({ embedded: resolve('var/pgdata-demo') });
  });

  it('says what is wrong with the settings, with exit code 2', () => {
    const { io: cli, said } = io({ DATABASE_URL: 'mysql://x' });
    expect(parseBackupArgs('backup', ['b1'], cli)).toBe(2);
    expect(said()).toContain('DATABASE_URL');
  });
});
