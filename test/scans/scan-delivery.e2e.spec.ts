import { randomBytes } from 'node:crypto';
import { ScanDeliveries } from '../../libs/application/src/scans/scan-deliveries';
import { startApp, type Harness } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { type Figures, reportSteps, reportUrl } from '../reports/report-steps';
import { smtpSink } from '../deadlines/smtp-sink';
import { eventually, startWorker } from '../deadlines/worker-harness';
import { SEAL_JPG, SEAL_PNG, scanUrl, sha256 } from './files';
import { attachmentOf, subjectOf } from './mail';

jest.setTimeout(60_000);

const INBOX = 'rrcz@example.gov.cn';
const figures: Figures = { training: 800, certified: 600, advanced: 320, onePlusX: 110 };

describe('each new sealed form goes to the province inbox, once', () => {
  let h: Harness;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  let deliveries: ScanDeliveries;
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  const people: Record<string, { filler: string; leader: string }> = {};

  const submit = async (unit: string) => {
    const steps = reportSteps(h);
    people[unit] = {
      filler: await h.user(`${unit.toLowerCase()}-filler`, 'filler', unit),
      leader: await h.user(`${unit.toLowerCase()}-leader`, 'leader', unit),
    };
    expect((await steps.enter(people[unit].filler, unit, '2024-03', figures)).status).toBe(200);
    expect((await steps.sign(people[unit].filler, unit, '2024-03', '张三', '0371-69691788')).status).toBe(
      200,
    );
    expect((await steps.sign(people[unit].leader, unit, '2024-03', '李四')).status).toBe(200);
  };
  const upload = (unit: string, bytes: Buffer, type = 'image/png') =>
    h.as(people[unit].filler).put(scanUrl(unit, '2024-03')).set('Content-Type', type).send(bytes);
  const deliveryOf = async (unit: string) =>
    (await h.as(people[unit].filler).get(reportUrl(unit, '2024-03'))).body.scan.delivery;

  beforeAll(async () => {
    sink = await smtpSink();
    process.env.SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
    process.env.SMTP_FROM = 'ledger@example.edu.cn';
    process.env.PROVINCE_INBOX = INBOX;
    process.env.BULLMQ_PREFIX = prefix;
    h = await startApp({ now: '2024-03-20T02:00:00.000Z' });
    deliveries = h.app.get(ScanDeliveries);
    await publishPlan2024(h);
    await submit('U01');
    await submit('U02');
  });
  afterAll(async () => {
    await h.close();
    await sink.close();
  });

  it('records the delivery with the upload, before anything is sent', async () => {
    expect((await upload('U01', SEAL_PNG)).status).toBe(200);
    expect(await deliveryOf('U01')).toEqual({
      status: 'queued',
      address: INBOX,
      queuedAt: '2024-03-20T02:00:00.000Z',
      sentAt: null,
      error: null,
    });
  });

  it('keeps a refused delivery on record and tries it again: the mailbox gets it once', async () => {
    const port = sink.port;
    await sink.close();
    expect(await deliveries.run()).toEqual({ sent: 0, failed: 1 });
    expect(await deliveryOf('U01')).toMatchObject({
      status: 'failed',
      sentAt: null,
      error: expect.any(String),
    });

    sink = await smtpSink(port);
    h.clock.set('2024-03-20T03:00:00.000Z');
    expect(await deliveries.run()).toEqual({ sent: 1, failed: 0 });
    expect(await deliveries.run()).toEqual({ sent: 0, failed: 0 });
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail.to).toEqual([INBOX]);
    const subject = subjectOf(mail.data);
    expect(subject).toContain('郑州工业应用技术学院（U01）');
    expect(subject).toContain('2024 年 3 月');
    expect(subject).toContain(sha256(SEAL_PNG));
    expect(attachmentOf(mail.data)?.equals(SEAL_PNG)).toBe(true);
    expect(await deliveryOf('U01')).toEqual({
      status: 'sent',
      address: INBOX,
      queuedAt: '2024-03-20T02:00:00.000Z',
      sentAt: '2024-03-20T03:00:00.000Z',
      error: null,
    });
    const asOf = await h
      .as(people.U01.filler)
      .get(`${reportUrl('U01', '2024-03')}?asOf=2024-03-20T02:30:00Z`);
    expect(asOf.body.scan.delivery).toMatchObject({ status: 'queued', sentAt: null });
  });

  it('sends a scan once when two workers run at the same instant', async () => {
    expect((await upload('U01', SEAL_JPG, 'image/jpeg')).status).toBe(200);
    const runs = await Promise.all([deliveries.run(), deliveries.run(), deliveries.run()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(sink.mails.filter((m) => subjectOf(m.data).includes(sha256(SEAL_JPG)))).toHaveLength(1);
  });

  it('is woken by the upload: a running worker mails a new scan without waiting for its schedule', async () => {
    const worker = await startWorker({
      databaseUrl: process.env.DATABASE_URL!,
      redisUrl: process.env.REDIS_URL!,
      prefix,
      clock: h.clock,
      env: {
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        PROVINCE_INBOX: INBOX,
        WORKER_WATCH_EVERY_MS: '600000',
        WORKER_SELF_CHECK_MS: '600000',
      },
    });
    try {
      await worker.schedules.startup;
      expect((await upload('U02', SEAL_PNG)).status).toBe(200);
      const mail = await eventually(
        async () => sink.mails.find((m) => subjectOf(m.data).includes('（U02）')),
        (m) => m !== undefined,
      );
      expect(subjectOf(mail!.data)).toContain(sha256(SEAL_PNG));
      expect(await deliveryOf('U02')).toMatchObject({ status: 'sent' });
    } finally {
      await worker.app.close();
    }
  });
});
