import fc from 'fast-check';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

/**
 * Every route of the OpenAPI document gets generated path parameters, query strings, headers and
 * bodies. Nothing a client can send may produce a 5xx, a refused request may not record an event, and
 * no payload may reach Object.prototype.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 600);

const weirdSegment = fc.oneof(
  fc.constantFrom(
    'U01',
    'R01',
    'R01-S1',
    '2024',
    '2024-03',
    'plan-2024',
    'admin',
    '__proto__',
    'constructor',
    '..',
    '%00',
    '%2e%2e',
    '%E4%B8%AD',
    'a'.repeat(300),
    '-1',
    '1e9',
    'null',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e21, 2 ** 53 + 1, '', '—', '\u0000', 'x'.repeat(2000)),
    fc.integer(),
    fc.string({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'figures', 'training', 'quota', 'polluted'),
        fc.string({ maxLength: 8 }),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;
const plausibleBody = fc.record(
  {
    figures: fc.record({ training: jsonish, certified: jsonish, advanced: jsonish, onePlusX: jsonish }),
    quota: jsonish,
    unitCode: weirdSegment,
    reason: jsonish,
    name: jsonish,
    phone: jsonish,
    decision: fc.constantFrom('accept', 'return', 'maybe', ''),
    username: jsonish,
    password: jsonish,
    role: fc.constantFrom('filler', 'leader', 'province-admin', 'god'),
    training: jsonish,
    certified: jsonish,
    onePlusX: jsonish,
    from: weirdSegment,
    to: weirdSegment,
    metric: fc.constantFrom('training', 'advanced', 'x'),
    amount: jsonish,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  jsonish.map((v) => ({ kind: 'json' as const, value: v })),
  plausibleBody.map((v) => ({ kind: 'json' as const, value: v })),
  fc
    .constantFrom(
      '{"a":',
      '[]',
      '"x"',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
    )
    .map((raw) => ({ kind: 'raw' as const, value: raw, type: 'application/json' })),
  fc
    .constantFrom('code,name\n', 'unitCode,training\nU01,1\n', '\u0000\u0001', 'PK\u0003\u0004garbage')
    .map((raw) => ({ kind: 'raw' as const, value: raw, type: 'text/csv' })),
);
const headers = fc.record(
  {
    'If-Match': fc.constantFrom('"0"', '"1"', '*', 'W/"2"', '"-1"', '"99999999999999"', 'garbage', ''),
    'Idempotency-Key': fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'x'.repeat(300), '../../etc')),
    'Content-Type': fc.constantFrom(
      'application/json',
      'text/plain',
      'text/csv',
      'application/xml',
      'multipart/form-data; boundary=x',
    ),
  },
  { requiredKeys: [] },
);

describe('hostile input on every route', () => {
  let h: Harness;
  let routes: { method: string; path: string }[];
  const tokens: string[] = [];

  beforeAll(async () => {
    h = await startApp();
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
    tokens.push(
      await h.token('admin'),
      await h.user('h-filler', 'filler', 'U01'),
      await h.user('h-op', 'region-operator', 'R01'),
    );
    const doc = (await h.request().get('/api/docs-json')).body;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method, path })),
    );
  }, 60_000);
  afterAll(() => h.close());

  const eventCount = async () =>
    Number((await h.db.query('SELECT max(position) AS p FROM events'))[0].p ?? 0);

  it('never answers 5xx, never records an event for a refused request, never pollutes prototypes', async () => {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(weirdSegment, { minLength: 4, maxLength: 4 }),
        fc.dictionary(
          fc.constantFrom(
            'period',
            'region',
            'asOf',
            'after',
            'limit',
            'from',
            'to',
            'stream',
            'type',
            'unit',
            'parent',
            '__proto__',
          ),
          weirdSegment,
          { maxKeys: 3 },
        ),
        body,
        headers,
        fc.nat(tokens.length),
        async (routeIndex, segments, query, payload, extraHeaders, who) => {
          const route = routes[routeIndex % routes.length];
          let i = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => segments[i++ % segments.length]);
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          const before = await eventCount();
          let req = (h.request() as any)[route.method](qs ? `${path}?${qs}` : path);
          if (who < tokens.length) req = req.set('Authorization', `Bearer ${tokens[who]}`);
          for (const [k, v] of Object.entries(extraHeaders)) req = req.set(k, v as string);
          const res =
            payload.kind === 'json'
              ? await req
                  .set('Content-Type', extraHeaders['Content-Type'] ?? 'application/json')
                  .send(JSON.stringify(payload.value) ?? 'null')
              : await req.set('Content-Type', payload.type).send(payload.value);
          const recorded = (await eventCount()) - before;
          if (res.status >= 500)
            failures.push(
              `${route.method} ${path}?${qs} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
            );
          if (res.status >= 400 && recorded > 0)
            failures.push(`${route.method} ${path} refused (${res.status}) but recorded ${recorded}`);
          return true;
        },
      ),
      { numRuns: RUNS },
    );
    expect(failures).toEqual([]);
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  }, 240_000);

  it('refuses a body above the size limit with 413', async () => {
    const huge = JSON.stringify({ figures: { training: 1 }, note: 'x'.repeat(2 * 1024 * 1024) });
    const res = await h
      .request()
      .put('/api/v1/units/U01/reports/2024-03')
      .set('Authorization', `Bearer ${tokens[1]}`)
      .set('Content-Type', 'application/json')
      .set('If-Match', '"0"')
      .send(huge);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
