import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// Functions given to page.evaluate run in the browser, where these exist; the project compiles without
// the DOM library, so they are declared here for this file only (a declaration emits nothing).
declare const document: any;
declare function getComputedStyle(el: unknown, pseudo?: string): any;

// axe-core runs inside the page. page.evaluate goes through the DevTools protocol, which the console's
// CSP (script-src 'self') does not govern, so the page's own policy stays as it is in production.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA that axe can test. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const PHONE = { width: 390, height: 844 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The WCAG A/AA violations axe finds on the page as it is now, one readable line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} }, resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`,
    ),
  );
}

/** Fails with every violation listed, and where (`label`), when axe finds any. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const found = await axeViolations(page);
  expect({ page: label, violations: found }).toEqual({ page: label, violations: [] });
}

/**
 * Elements whose right edge lies beyond the screen's, except those clipped by a box that scrolls or hides
 * its overflow (a wide table in its own scroll box is fine; the box itself is checked).
 */
export async function beyondRightEdge(page: Page): Promise<string[]> {
  const width = page.viewportSize()?.width ?? 0;
  return page.evaluate((edge) => {
    const clipped = (el: any) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *')) as any[]) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= edge + 0.5 || clipped(el)) continue;
      const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''}`;
      out.push(`${name} "${(el.textContent ?? '').trim().slice(0, 30)}" ends at ${Math.round(box.right)} px`);
    }
    if (document.documentElement.scrollWidth > edge)
      out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
    return out;
  }, width);
}

/** Visible controls a finger has to hit that are smaller than 44 × 44 CSS px. */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll('button, a[href], input, select, textarea, summary');
    for (const el of Array.from(controls) as any[]) {
      const box = el.getBoundingClientRect();
      // Hidden from people (a file input behind its button, say): nobody has to hit it.
      if (box.width === 0 || box.height === 0 || el.closest('[aria-hidden="true"]')) continue;
      if (box.width < 44 || box.height < 44) {
        const label = (
          el.textContent ||
          el.getAttribute('aria-label') ||
          el.getAttribute('name') ||
          ''
        ).trim();
        out.push(
          `${el.tagName.toLowerCase()} "${label.slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return out;
  });
}

/** The console has drawn the route's page: its heading is there and the page is no longer aria-busy. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    return !!app?.querySelector('h1') && app.getAttribute('aria-busy') !== 'true';
  });
}

/** Goes to a console route and waits until it is drawn (the old page is cleared first, so it cannot pass). */
export async function visit(page: Page, url: string): Promise<void> {
  await page.evaluate(() => document.getElementById('app')?.replaceChildren());
  await page.goto(url);
  await settled(page);
}
