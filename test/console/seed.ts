import type { Harness } from '../support/app';

type Figures = { training: number; certified: number; advanced: number; onePlusX: number };

/** Drives one report through the API: figures, both signatures and, when `reviewer` is given, acceptance. */
export async function fileReport(
  h: Harness,
  unit: string,
  period: string,
  figures: Figures,
  tokens: { filler: string; leader: string; reviewer?: string },
) {
  const path = `/api/v1/units/${unit}/reports/${period}`;
  const steps: [string | undefined, 'put' | 'post', string, object][] = [
    [tokens.filler, 'put', path, { figures }],
    [tokens.filler, 'post', `${path}/signatures`, { name: '王芳', phone: '13800000000' }],
    [tokens.leader, 'post', `${path}/signatures`, { name: '赵强' }],
    [tokens.reviewer, 'post', `${path}/review`, { decision: 'accept' }],
  ];
  let etag = '"0"';
  let res: any;
  for (const [token, method, url, body] of steps) {
    if (!token) break;
    res = await h.as(token)[method](url).set('If-Match', etag).send(body);
    if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    etag = res.headers.etag;
  }
  return res;
}

/** A few units with accepted January and February reports, so the dashboard and its charts have a shape. */
export async function seedEarlyMonths(h: Harness, units: { code: string; annual: number }[]) {
  const reviewer = await h.token('admin');
  for (const { code, annual } of units) {
    const filler = await h.user(`${code.toLowerCase()}-f`, 'filler', code);
    const leader = await h.user(`${code.toLowerCase()}-l`, 'leader', code);
    for (const [period, share] of [
      ['2024-01', 0.07],
      ['2024-02', 0.09],
    ] as const) {
      const training = Math.round(annual * share);
      const certified = Math.round(training * 0.8);
      await fileReport(
        h,
        code,
        period,
        { training, certified, advanced: 0, onePlusX: Math.round(certified / 6) },
        { filler, leader, reviewer },
      );
    }
  }
}
