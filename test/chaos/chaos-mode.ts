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
