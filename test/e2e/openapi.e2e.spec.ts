import SwaggerParser from '@apidevtools/swagger-parser';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIV3 } from 'openapi-types';
import { AppModule } from '../../apps/api/src/app.module';
import { openApiDocument } from '../../apps/api/src/openapi';
import { statusOf } from '../../libs/application/src/problem';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024, registerSchool } from '../support/plan';

type Operation = OpenAPIV3.OperationObject;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Plausible values for the path parameters, so a probe reaches the handler rather than the pipes. */
const PARAMS: Record<string, string> = {
  year: '2024',
  period: '2024-03',
  code: 'R01',
  schoolCode: 'R01-S1',
  username: 'admin',
  streamId: 'plan-2024',
};

function operations(doc: OpenAPIV3.Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m]).map((method) => ({ path, method, op: item![method]! })),
  );
}

/** The codes an operation documents under a status (problem+json answers only). */
function documentedCodes(op: Operation, status: number): string[] {
  const response = op.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
  const schema = response?.content?.['application/problem+json']?.schema as
    OpenAPIV3.SchemaObject | undefined;
  const own = schema?.allOf?.[1] as OpenAPIV3.SchemaObject | undefined;
  const code = own?.properties?.code as OpenAPIV3.SchemaObject | undefined;
  return (code?.enum as string[] | undefined) ?? [];
}

const guarded = (op: Operation) => (op.security ?? []).some((s) => 'bearer' in s);

describe('the OpenAPI document as integrators read it', () => {
  let h: Harness;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    h = await startApp();
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01');
    doc = (await h.request().get('/api/docs-json')).body;
  }, 60_000);
  afterAll(() => h.close());

  it('is a valid OpenAPI document (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.servers).toEqual([{ url: '/' }]);
  });

  it('is the document `npm run lint` builds without a database', async () => {
    const preview = await NestFactory.create(AppModule, {
      preview: true,
      logger: false,
      abortOnError: false,
    });
    try {
      expect(JSON.parse(JSON.stringify(openApiDocument(preview)))).toEqual(doc);
    } finally {
      await preview.close();
    }
  });

  it('gives every operation a summary, a unique id and its refusals as problem+json', () => {
    const all = operations(doc);
    expect(all.length).toBeGreaterThan(40);
    expect(new Set(all.map((o) => o.op.operationId)).size).toBe(all.length);
    const gaps: string[] = [];
    for (const { path, method, op } of all) {
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary) gaps.push(`${name}: no summary`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^4/.test(status)) continue;
        const codes = documentedCodes(op, Number(status));
        if (codes.length === 0) gaps.push(`${name}: ${status} is not problem+json with codes`);
        for (const code of codes) {
          if (statusOf(code) !== Number(status)) gaps.push(`${name}: ${code} answers ${statusOf(code)}`);
        }
        expect((response as OpenAPIV3.ResponseObject).description).toContain(codes[0]);
      }
      if (!documentedCodes(op, 400).includes('VALIDATION_FAILED')) gaps.push(`${name}: no 400`);
      if (guarded(op)) {
        if (!documentedCodes(op, 401).includes('UNAUTHENTICATED')) gaps.push(`${name}: no 401`);
        if (!documentedCodes(op, 403).includes('FORBIDDEN')) gaps.push(`${name}: no 403`);
        if (['post', 'put'].includes(method) && !documentedCodes(op, 422).includes('IDEMPOTENCY_KEY_REUSED'))
          gaps.push(`${name}: no IDEMPOTENCY_KEY_REUSED`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('documents every refusal a route really answers to common mistakes', async () => {
    const admin = await h.token('admin');
    const filler = await h.user('doc-filler', 'filler', 'U01');
    const undocumented: string[] = [];
    const seen = new Set<string>();
    for (const { path, method, op } of operations(doc)) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x');
      const probes: { who?: string; type?: string; body?: string; ifMatch?: string }[] = [
        {},
        { who: filler },
        { who: admin, type: 'application/json', body: '{}' },
        { who: admin, type: 'application/json', body: '{}', ifMatch: '"999"' },
        { who: admin, type: 'application/xml', body: '<x/>' },
        { who: admin, type: 'application/json', body: '{"a":' },
      ];
      // GETs too: the body parsers run before routing, so a malformed body is refused on any route.
      for (const probe of probes) {
        let req = h.request()[method](url);
        if (probe.who) req = req.set('Authorization', `Bearer ${probe.who}`);
        if (probe.ifMatch) req = req.set('If-Match', probe.ifMatch);
        const res = probe.type ? await req.set('Content-Type', probe.type).send(probe.body) : await req;
        if (res.status < 400) continue;
        seen.add(res.body.code);
        if (!documentedCodes(op, res.status).includes(res.body.code)) {
          undocumented.push(`${method.toUpperCase()} ${path}: ${res.status} ${res.body.code}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'VALIDATION_FAILED',
        'UNSUPPORTED_MEDIA_TYPE',
        'PRECONDITION_REQUIRED',
        'VERSION_CONFLICT',
      ]),
    );
  }, 120_000);
});
