import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** `CHAOS_MODE=ci` (the default in CI) runs short; `full` runs every cycle the proving ground asks for. */
export const FULL = (process.env.CHAOS_MODE ?? (process.env.CI ? 'ci' : 'full')) === 'full';
export const cycles = (full: number, ci: number) => (FULL ? full : ci);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The local PostgreSQL cluster this machine runs, when the test may stop and start it. */
export function localCluster(): { version: string; stop(): void; start(): void } | null {
  if (!existsSync('/etc/postgresql') || process.getuid?.() !== 0) return null;
  const version = readdirSync('/etc/postgresql')[0];
  if (!version) return null;
  const ctl = (...args: string[]) =>
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', ...args], { stdio: 'pipe' });
  return {
    version,
    stop: () => ctl('stop', '-m', 'immediate'),
    start: () => ctl('start'),
  };
}

/** Waits until PostgreSQL answers queries again (after a crash it first says "starting up"). */
export async function untilAnswers(probe: () => Promise<unknown>, withinMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await probe();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > withinMs) throw error;
      await sleep(100);
    }
  }
}

const REDIS_START = [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '-::1',
  '--port',
  '6379',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  '/var/lib/redis',
  '--logfile',
  '/var/log/redis/ci.log',
];

/**
 * The machine's Redis on 6379, when the test may shut it down and start it again (as scripts/services.sh
 * starts it: no persistence, so a restart comes back empty, like a lost Redis).
 */
export function localRedis(): { stop(): void; start(): void; answers(): boolean } | null {
  const answers = () => {
    try {
      return execFileSync('redis-cli', ['-p', '6379', 'ping'], { stdio: 'pipe', timeout: 2000 })
        .toString()
        .includes('PONG');
    } catch {
      return false;
    }
  };
  if (process.getuid?.() !== 0 || !answers()) return null;
  const redis = {
    answers,
    stop() {
      try {
        execFileSync('redis-cli', ['-p', '6379', 'shutdown', 'nosave'], { stdio: 'pipe', timeout: 5000 });
      } catch {
        // redis-cli reports the connection the server closed as it went away.
      }
      for (let i = 0; i < 50 && answers(); i++) execFileSync('sleep', ['0.1']);
      if (answers()) throw new Error('Redis still answers after SHUTDOWN');
    },
    start() {
      if (answers()) return;
      execFileSync('redis-server', REDIS_START, { stdio: 'pipe' });
      for (let i = 0; i < 100 && !answers(); i++) execFileSync('sleep', ['0.1']);
      if (!answers()) throw new Error('Redis did not come back');
    },
  };
  // Whatever happens to the test run, the machine's Redis is running when it ends.
  process.once('exit', () => {
    if (!answers()) execFileSync('redis-server', REDIS_START, { stdio: 'ignore' });
  });
  return redis;
}
