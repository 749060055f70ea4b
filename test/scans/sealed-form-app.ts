import { Database } from '../../libs/platform/src/database';
import { startApp } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { type Figures, reportSteps } from '../reports/report-steps';
import { scanUrl } from './files';

export const figures: Figures = { training: 800, certified: 600, advanced: 320, onePlusX: 110 };
export const binary = (res: { body: unknown }) => res.body as Buffer;

/**
 * The API on 15 March 2024 with the 2024 plan, U01's filler and leader, U02's filler and an auditor, and
 * the HTTP steps of a sealed form: upload, download (the raw bytes), the scans stored, and a March report
 * entered and signed. `owner` connects as the database owner, to tamper behind the service's back.
 */
export async function sealedFormApp() {
  const h = await startApp({ now: '2024-03-15T02:00:00.000Z' });
  const owner = await Database.create({ url: process.env.DATABASE_URL!, poolSize: 1 }).connect();
  const steps = reportSteps(h);
  const admin = await h.token('admin');
  await publishPlan2024(h);
  const auditor = await h.user('auditor', 'auditor', 'province');
  const filler = await h.user('u01-filler', 'filler', 'U01');
  const leader = await h.user('u01-leader', 'leader', 'U01');
  const otherFiller = await h.user('u02-filler', 'filler', 'U02');

  const upload = (token: string, bytes: Buffer, type = 'image/png', unit = 'U01', period = '2024-03') =>
    h.as(token).put(scanUrl(unit, period)).set('Content-Type', type).send(bytes);
  const download = (token: string, unit = 'U01', period = '2024-03', query = '') =>
    h
      .as(token)
      .get(`${scanUrl(unit, period)}${query}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const storedScans = async () =>
    (await h.db.query<{ count: number }>('SELECT count(*)::int AS count FROM report_scans'))[0].count;
  const submit = async (unit: string, f: string, l: string) => {
    expect((await steps.enter(f, unit, '2024-03', figures)).status).toBe(200);
    expect((await steps.sign(f, unit, '2024-03', '张三', '0371-69691788')).status).toBe(200);
    expect((await steps.sign(l, unit, '2024-03', '李四')).status).toBe(200);
  };

  const close = () => owner.close().then(() => h.close());
  const people = { admin, auditor, filler, leader, otherFiller };
  return { h, steps, owner, ...people, upload, download, storedScans, submit, close };
}
