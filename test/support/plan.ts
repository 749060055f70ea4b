import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from './app';

export const PLAN_2024_CSV = readFileSync(join(__dirname, '../../data/plans/2024.csv'));

/**
 * Publishes the shipped 2024 plan as the province admin; returns the plan's version. `reportingFrom`
 * makes months before the publication owed (a plan published late otherwise owes from its own month).
 */
export async function publishPlan2024(h: Harness, options: { reportingFrom?: string } = {}): Promise<number> {
  const query = options.reportingFrom ? `?reportingFrom=${options.reportingFrom}` : '';
  const res = await h
    .as(await h.token('admin'))
    .put(`/api/v1/plans/2024${query}`)
    .set('Content-Type', 'text/csv')
    .send(PLAN_2024_CSV);
  if (res.status !== 200) throw new Error(`plan import failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.version;
}

/** Registers a city-secondary school under a region as the admin. */
export async function registerSchool(
  h: Harness,
  code: string,
  parentCode: string,
  name = `${code} 中等职业学校`,
) {
  const res = await h
    .as(await h.token('admin'))
    .post('/api/v1/units')
    .send({ code, name, kind: 'city-secondary', parentCode });
  if (res.status !== 201) throw new Error(`school ${code} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

type Share = { training: number; certified: number; onePlusX: number };

/**
 * A region operator splits its task and publishes (下达): each listed school gets its share and `restTo`
 * gets whatever remains, since schools have a task only once the split is published.
 */
export async function publishSplit(
  h: Harness,
  token: string,
  region: string,
  shares: [string, Share][],
  restTo: string,
) {
  const base = `/api/v1/plans/2024/regions/${region}/allocation`;
  const send = async (method: 'put' | 'post', url: string, body?: object) => {
    const current = await h.as(token).get(base);
    const res = await h.as(token)[method](url).set('If-Match', current.headers.etag).send(body);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let split: { remaining: Share } = (await h.as(token).get(base)).body;
  for (const [code, share] of shares) split = await send('put', `${base}/schools/${code}`, share);
  await send('put', `${base}/schools/${restTo}`, split.remaining);
  return send('post', `${base}/publish`);
}
