import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { publishPlan2024 } from '../support/plan';
import { reportSteps } from '../reports/report-steps';
import { SEAL_PNG, sha256 } from '../scans/files';
import { type ConsoleRig, describeInBrowser, loginPage, shoot, startConsole } from './browser';

const PERIOD = '2024-03';
jest.setTimeout(60_000);

const expectText = (locator: Locator, text: string) =>
  locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });

describeInBrowser('the sealed form in the console, in a real browser', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsole();
    const h = rig.h;
    await publishPlan2024(h);
    const filler = await h.user('u01-filler', 'filler', 'U01');
    const leader = await h.user('u01-leader', 'leader', 'U01');
    await h.user('auditor', 'auditor', 'province');
    const steps = reportSteps(h);
    const figures = { training: 1850, certified: 1500, advanced: 420, onePlusX: 260 };
    expect((await steps.enter(filler, 'U01', PERIOD, figures)).status).toBe(200);
    expect((await steps.sign(filler, 'U01', PERIOD, '张敏', '0371-69691788')).status).toBe(200);
    expect((await steps.sign(leader, 'U01', PERIOD, '李建国')).status).toBe(200);
    // The province asks for the sealed form before acceptance this year.
    const admin = await h.token('admin');
    const plan = await h.as(admin).get('/api/v1/plans/2024');
    const set = await h
      .as(admin)
      .put('/api/v1/plans/2024/settings')
      .set('If-Match', plan.headers.etag)
      .send({ requireScan: true });
    expect(set.status).toBe(200);
  }, 90_000);
  afterAll(() => rig?.close());

  it('lets the filler drop the sealed PNG once the leader signed, preview it and upload it', async () => {
    const page = await loginPage(rig, 'u01-filler', 'u01-filler-password');
    await page.goto(`${rig.base}/#/report?period=${PERIOD}`);
    await expectText(page.getByTestId('scan-uploader'), '上传盖章扫描件');
    expect(await page.getByRole('button', { name: '选择文件…' }).isVisible()).toBe(true);

    // Drag and drop, as from the desktop: a real PNG in a DataTransfer.
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      // Runs in the page, where the DOM exists; the tests' TypeScript has no DOM library.
      const page = globalThis as any;
      const transfer = new page.DataTransfer();
      transfer.items.add(new page.File([bytes], '盖章月报.png', { type: 'image/png' }));
      return transfer;
    }, SEAL_PNG.toString('base64'));
    await page.getByTestId('scan-drop').dispatchEvent('drop', { dataTransfer });
    await expectText(page.getByTestId('scan-uploader'), '已选择：盖章月报.png');
    const preview = page.getByTestId('scan-uploader').getByTestId('scan-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      240,
    );

    await page.getByTestId('scan-upload').click();
    await expectText(page.locator('.notice.ok'), '扫描件已上传');
    await expectText(page.getByTestId('scan-sha256'), sha256(SEAL_PNG));
    const report = (await rig.h.as(await rig.h.token('admin')).get(`/api/v1/units/U01/reports/${PERIOD}`))
      .body;
    expect(report.scan).toMatchObject({ sha256: sha256(SEAL_PNG), contentType: 'image/png' });
    await shoot(page, 'scan-upload');
    await page.context().close();
  });

  it('shows the reviewer the scan beside the figures before accepting', async () => {
    const page = await loginPage(rig, 'admin', 'admin-password-1');
    await page.goto(`${rig.base}/#/review?period=${PERIOD}&unit=U01`);
    const card = page.getByTestId('scan-card');
    await expectText(card.getByTestId('scan-sha256'), sha256(SEAL_PNG));
    const img = card.getByTestId('scan-preview');
    await img.waitFor();
    expect(
      await img.evaluate((el) => {
        const image = el as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth;
      }),
    ).toBe(240);
    await shoot(page, 'scan-review');
    await page.getByTestId('review-accept').click();
    await expectText(page.locator('.notice.ok'), '已通过');
    await page.context().close();
  });

  it('lets the auditor download the very file from the history', async () => {
    const page = await loginPage(rig, 'auditor', 'auditor-password');
    await page.goto(`${rig.base}/#/history?unit=U01&period=${PERIOD}`);
    await expectText(page.getByTestId('history'), '上传盖章扫描件');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('history-scan').click(),
    ]);
    const saved = await file.path();
    expect(sha256(readFileSync(saved!))).toBe(sha256(SEAL_PNG));
    await page.context().close();
  });
});
