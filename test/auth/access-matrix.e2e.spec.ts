import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

/**
 * Every route × every role × own unit / other unit. The routes come from the OpenAPI document, which
 * lists every controller route: a new route without probes here fails the suite, and so does a route
 * whose rules admit someone they should not (or refuse someone they should admit).
 */
type Caller =
  'admin' | 'auditor' | 'opR01' | 'fillerU01' | 'leaderU01' | 'fillerS1' | 'leaderS1' | 'fillerR01';
const CALLERS: Caller[] = [
  'admin',
  'auditor',
  'opR01',
  'fillerU01',
  'leaderU01',
  'fillerS1',
  'leaderS1',
  'fillerR01',
];
const ALL = CALLERS;
const READERS_OF = (unit: 'U01' | 'S1' | 'S2' | 'R01'): Caller[] =>
  ({
    U01: ['admin', 'auditor', 'fillerU01', 'leaderU01'],
    S1: ['admin', 'auditor', 'opR01', 'fillerS1', 'leaderS1'],
    S2: ['admin', 'auditor'],
    R01: ['admin', 'auditor', 'opR01', 'fillerR01'],
  })[unit] as Caller[];
const CODE = { U01: 'U01', S1: 'R01-S1', S2: 'R02-S1', R01: 'R01' } as const;

interface Probe {
  method: 'get' | 'post' | 'put';
  path: string;
  allowed: Caller[];
  body?: unknown;
  headers?: Record<string, string>;
}

const P = '/api/v1';
const REPORT = (u: keyof typeof CODE) => `${P}/units/${CODE[u]}/reports/2024-03`;
// Commands are sent stale (If-Match "999") or malformed, so an admitted caller changes nothing.
const STALE = { 'If-Match': '"999"' };

const probes: Probe[] = [
  { method: 'get', path: `${P}/auth/me`, allowed: ALL },
  { method: 'get', path: `${P}/console/context`, allowed: ALL },
  { method: 'post', path: `${P}/auth/password`, allowed: ALL, body: {} },
  { method: 'post', path: `${P}/users`, allowed: ['admin', 'opR01'], body: {} },
  { method: 'get', path: `${P}/users`, allowed: ['admin', 'opR01'] },
  { method: 'get', path: `${P}/users/m-filler-s1`, allowed: ['admin', 'opR01'] },
  { method: 'get', path: `${P}/users/m-filler-u01`, allowed: ['admin'] },
  { method: 'post', path: `${P}/users/m-filler-s1/disable`, allowed: ['admin', 'opR01'], headers: STALE },
  { method: 'post', path: `${P}/users/m-filler-u01/disable`, allowed: ['admin'], headers: STALE },

  {
    method: 'put',
    path: `${P}/plans/2024`,
    allowed: ['admin'],
    body: 'x',
    headers: { 'Content-Type': 'text/csv' },
  },
  { method: 'get', path: `${P}/plans/2024`, allowed: ALL },
  { method: 'post', path: `${P}/plans/2024/adjustments`, allowed: ['admin'], body: {} },
  { method: 'get', path: `${P}/plans/2024/calendar`, allowed: ALL },
  { method: 'put', path: `${P}/plans/2024/settings`, allowed: ['admin'], body: {}, headers: STALE },
  { method: 'post', path: `${P}/plans/2024/reporting-start`, allowed: ['admin'], body: {}, headers: STALE },
  { method: 'post', path: `${P}/plans/2024/close`, allowed: ['admin'], body: {}, headers: STALE },
  { method: 'post', path: `${P}/plans/2024/reopen`, allowed: ['admin'], body: {}, headers: STALE },

  { method: 'post', path: `${P}/units`, allowed: ['admin', 'opR01'], body: { parentCode: 'R01' } },
  { method: 'post', path: `${P}/units`, allowed: ['admin'], body: { parentCode: 'R02' } },
  { method: 'get', path: `${P}/units`, allowed: ALL },
  { method: 'get', path: `${P}/units/R01-S1`, allowed: ALL },

  ...(['R01', 'R02'] as const).flatMap((region): Probe[] => {
    const base = `${P}/plans/2024/regions/${region}/allocation`;
    const writers: Caller[] = region === 'R01' ? ['admin', 'opR01'] : ['admin'];
    return [
      {
        method: 'get',
        path: base,
        allowed: region === 'R01' ? ['admin', 'auditor', 'opR01'] : ['admin', 'auditor'],
      },
      { method: 'put', path: `${base}/schools/${region}-S1`, allowed: writers, body: {}, headers: STALE },
      { method: 'post', path: `${base}/publish`, allowed: writers, headers: STALE },
      { method: 'post', path: `${base}/transfers`, allowed: writers, body: {}, headers: STALE },
    ];
  }),

  ...(['U01', 'S1', 'S2', 'R01'] as const).flatMap((u): Probe[] => {
    const filler: Caller[] =
      u === 'U01' ? ['fillerU01'] : u === 'S1' ? ['fillerS1'] : u === 'R01' ? ['fillerR01'] : [];
    const signers: Caller[] =
      u === 'U01' ? ['fillerU01', 'leaderU01'] : u === 'S1' ? ['fillerS1', 'leaderS1'] : filler;
    const reviewer: Caller[] = u === 'S1' ? ['opR01'] : u === 'S2' ? [] : ['admin'];
    return [
      { method: 'get', path: REPORT(u), allowed: READERS_OF(u) },
      { method: 'get', path: `${REPORT(u)}/history`, allowed: READERS_OF(u) },
      { method: 'get', path: `${REPORT(u)}/diff?from=1&to=2`, allowed: READERS_OF(u) },
      { method: 'get', path: `${REPORT(u)}/form.xlsx`, allowed: READERS_OF(u) },
      { method: 'get', path: `${REPORT(u)}/form.html`, allowed: READERS_OF(u) },
      { method: 'put', path: REPORT(u), allowed: filler, body: {}, headers: STALE },
      { method: 'post', path: `${REPORT(u)}/signatures`, allowed: signers, body: {}, headers: STALE },
      {
        method: 'post',
        path: `${REPORT(u)}/signatures/refusals`,
        allowed: signers.filter((c) => c.startsWith('leader')),
        body: {},
        headers: STALE,
      },
      { method: 'post', path: `${REPORT(u)}/review`, allowed: reviewer, body: {}, headers: STALE },
      { method: 'post', path: `${REPORT(u)}/amendments`, allowed: filler, body: {}, headers: STALE },
      { method: 'get', path: `${REPORT(u)}/scan`, allowed: READERS_OF(u) },
      {
        method: 'put',
        path: `${REPORT(u)}/scan`,
        allowed: filler,
        body: Buffer.from('not a png'),
        headers: { 'Content-Type': 'image/png' },
      },
    ];
  }),

  { method: 'get', path: `${P}/plans/2024/progress?period=2024-03`, allowed: ['admin', 'auditor'] },
  {
    method: 'get',
    path: `${P}/plans/2024/progress?period=2024-03&region=R01`,
    allowed: ['admin', 'auditor', 'opR01'],
  },
  {
    method: 'get',
    path: `${P}/plans/2024/progress?period=2024-03&region=R02`,
    allowed: ['admin', 'auditor'],
  },
  { method: 'get', path: `${P}/plans/2024/progress.xlsx?period=2024-03`, allowed: ['admin', 'auditor'] },
  {
    method: 'get',
    path: `${P}/plans/2024/progress.xlsx?period=2024-03&region=R01`,
    allowed: ['admin', 'auditor', 'opR01'],
  },
  { method: 'get', path: `${P}/plans/2024/timeliness?period=2024-03`, allowed: ['admin', 'auditor'] },
  {
    method: 'get',
    path: `${P}/plans/2024/timeliness?period=2024-03&region=R01`,
    allowed: ['admin', 'auditor', 'opR01'],
  },
  {
    method: 'put',
    path: `${P}/plans/2024/platform-figures/2024-03`,
    allowed: ['admin'],
    body: 'x',
    headers: { 'Content-Type': 'text/csv' },
  },
  { method: 'get', path: `${P}/plans/2024/reconciliation?period=2024-03`, allowed: ['admin', 'auditor'] },

  { method: 'post', path: `${P}/admin/deadline-sweeps`, allowed: ['admin'] },
  { method: 'get', path: `${P}/admin/reminders?period=2024-03`, allowed: ['admin', 'auditor'] },
  { method: 'get', path: `${P}/audit/events`, allowed: ['admin', 'auditor'] },
  { method: 'post', path: `${P}/audit/verifications`, allowed: ['admin', 'auditor'] },
  { method: 'get', path: `${P}/audit/checkpoints`, allowed: ['admin', 'auditor'] },
  { method: 'post', path: `${P}/audit/checkpoints`, allowed: ['admin'] },
  { method: 'get', path: `${P}/audit/streams/plan-2024`, allowed: ['admin', 'auditor'] },
  { method: 'get', path: `${P}/admin/projections`, allowed: ['admin', 'auditor'] },
  { method: 'post', path: `${P}/admin/projections/rebuild`, allowed: ['admin'] },
];

/** The OpenAPI template a concrete probe path belongs to. */
const templateOf = (path: string, templates: string[]) =>
  templates.find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(path.split('?')[0]),
  );

const PUBLIC = new Set(['post /api/v1/auth/login', 'get /health', 'get /api/docs', 'get /api/docs-json']);

describe('the access matrix', () => {
  let h: Harness;
  const tokens = {} as Record<Caller, string>;
  let routes: string[];

  beforeAll(async () => {
    h = await startApp();
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
    await registerSchool(h, 'R02-S1', 'R02');
    tokens.admin = await h.token('admin');
    tokens.auditor = await h.user('m-auditor', 'auditor', 'province');
    tokens.opR01 = await h.user('m-op-r01', 'region-operator', 'R01');
    tokens.fillerU01 = await h.user('m-filler-u01', 'filler', 'U01');
    tokens.leaderU01 = await h.user('m-leader-u01', 'leader', 'U01');
    tokens.fillerS1 = await h.user('m-filler-s1', 'filler', 'R01-S1');
    tokens.leaderS1 = await h.user('m-leader-s1', 'leader', 'R01-S1');
    tokens.fillerR01 = await h.user('m-filler-r01', 'filler', 'R01');
    const doc = (await h.request().get('/api/docs-json')).body;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
  }, 180_000);
  afterAll(() => h.close());

  it('has probes for every route of the OpenAPI document', () => {
    const templates = routes.map((r) => r.split(' ')[1]);
    const probed = new Set(probes.map((p) => `${p.method} ${templateOf(p.path, templates)}`));
    const unprobed = routes.filter((r) => !PUBLIC.has(r) && !probed.has(r));
    expect(unprobed).toEqual([]);
  });

  it('answers 401 on every non-public route without a token', async () => {
    for (const probe of probes) {
      const res = await h.request()[probe.method](probe.path);
      expect({ route: `${probe.method} ${probe.path}`, status: res.status }).toEqual({
        route: `${probe.method} ${probe.path}`,
        status: 401,
      });
    }
  });

  it('admits exactly the callers each rule names and refuses the rest with 403', async () => {
    const wrong: string[] = [];
    for (const probe of probes) {
      for (const caller of CALLERS) {
        let req = h.request()[probe.method](probe.path).set('Authorization', `Bearer ${tokens[caller]}`);
        for (const [k, v] of Object.entries(probe.headers ?? {})) req = req.set(k, v);
        const res = probe.body !== undefined ? await req.send(probe.body as any) : await req;
        const admitted = res.status !== 403 && res.status !== 401;
        const expected = probe.allowed.includes(caller);
        if (admitted !== expected || res.status >= 500) {
          wrong.push(
            `${caller} ${probe.method.toUpperCase()} ${probe.path} → ${res.status} (expected ${expected ? 'allowed' : '403'})`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
