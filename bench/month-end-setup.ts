import * as argon2 from 'argon2';
import { type Actor, type PlanUnit, userDecider, userStreamId } from '@app/domain';
import { EventStore } from '@app/event-store';
import { CommandExecutor } from '@app/application/command-executor';
import { SystemClock } from '@app/platform/clock';
import type { AppConfig } from '@app/platform/config';
import { Database } from '@app/platform/database';
import { TokenService } from '../apps/api/src/auth/tokens';
import type { ApiProcess } from './api-process';
import { pool, type Reply } from './http-client';

/** The month-end's set-up, not timed: who reports, how the regions split their tasks, who signs. */

export const YEAR = 2024;
/** Inside March 2024 (Shanghai), before its deadline: the month is open for reports. */
export const FAKE_NOW = '2024-03-20T02:00:00Z';

export interface Unit {
  code: string;
  kind: string;
  parentCode: string | null;
  hasAdvanced: boolean;
}

export const expect = (reply: Reply, status: number, what: string): Reply => {
  if (reply.status !== status)
    throw new Error(`${what}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reply;
};

/** Each region splits its task evenly among its schools (what is left over goes to the first ones) and publishes. */
export async function splitTasks(
  api: ApiProcess,
  regions: PlanUnit[],
  schools: Unit[],
  operators: Map<string, string>,
): Promise<string[]> {
  const unpublished: string[] = [];
  await pool(regions, regions.length, async (region) => {
    const token = operators.get(region.code)!;
    const mine = schools.filter((s) => s.parentCode === region.code);
    const base = `/api/v1/plans/${YEAR}/regions/${region.code}/allocation`;
    let etag = expect(
      await api.client.send('GET', base, { token }),
      200,
      `allocation of ${region.code}`,
    ).etag!;
    const part = (total: number | null, i: number) =>
      Math.floor((total ?? 0) / mine.length) + (i < (total ?? 0) % mine.length ? 1 : 0);
    for (const [i, school] of mine.entries()) {
      const share = {
        training: part(region.quota.training, i),
        certified: part(region.quota.certified, i),
        onePlusX: part(region.quota.onePlusX, i),
      };
      const reply = expect(
        await api.client.send('PUT', `${base}/schools/${school.code}`, { token, body: share, ifMatch: etag }),
        200,
        `share of ${school.code}`,
      );
      etag = reply.etag!;
    }
    const published = await api.client.send('POST', `${base}/publish`, { token, ifMatch: etag });
    if (published.status !== 200) unpublished.push(region.code);
  });
  return unpublished;
}

/**
 * A filler and a leader per unit, recorded as the API records them (CreateUser through the
 * CommandExecutor, the hash in user_credentials), and their bearer tokens.
 */
export async function createSigners(
  url: string,
  units: Unit[],
  jwtSecret: string,
  login: (username: string, password: string) => Promise<string>,
): Promise<Map<string, { filler: string; leader: string }>> {
  const password = 'bench-signer-password';
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  const db = await Database.create({
    url,
    role: 'skills_app',
    poolSize: 4,
    applicationName: 'skills-bench',
  }).connect();
  try {
    const executor = new CommandExecutor(new EventStore(db), new SystemClock(new Date(FAKE_NOW)));
    const creator: Actor = {
      userId: 'admin',
      username: 'admin',
      role: 'province-admin',
      unitCode: 'province',
    };
    const accounts = units.flatMap((u) =>
      (['filler', 'leader'] as const).map((role) => ({
        username: `${role === 'filler' ? 'f' : 'l'}-${u.code.toLowerCase()}`,
        role,
        unitCode: u.code,
      })),
    );
    await pool(accounts, 64, async (a) => {
      await executor.execute({
        streamId: userStreamId(a.username),
        decider: userDecider,
        actor: creator,
        command: (at) => ({
          type: 'CreateUser' as const,
          data: { username: a.username, displayName: a.username, role: a.role, unitCode: a.unitCode },
          at: at.toISOString(),
          actor: creator,
        }),
        alsoInTransaction: async (tx) => {
          await tx.query(
            'INSERT INTO user_credentials (username, password_hash, changed_at) VALUES ($1, $2, $3)',
            [a.username, passwordHash, new Date(FAKE_NOW)],
          );
        },
      });
    });
  } finally {
    await db.close();
  }
  const issuer = new TokenService({ JWT_SECRET: jwtSecret, JWT_TTL_SECONDS: 7200 } as AppConfig);
  const tokens = new Map<string, { filler: string; leader: string }>();
  for (const u of units) {
    const issue = (role: 'filler' | 'leader') =>
      issuer.issue({
        username: `${role === 'filler' ? 'f' : 'l'}-${u.code.toLowerCase()}`,
        role,
        unitCode: u.code,
        tokenGeneration: 0,
      }).accessToken;
    tokens.set(u.code, { filler: issue('filler'), leader: issue('leader') });
  }
  const first = units[0];
  tokens.set(first.code, {
    filler: await login(`f-${first.code.toLowerCase()}`, password),
    leader: await login(`l-${first.code.toLowerCase()}`, password),
  });
  return tokens;
}
