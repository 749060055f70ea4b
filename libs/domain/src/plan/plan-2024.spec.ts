import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planTotals, validatePlanRows } from './plan.rows';

// The 2024 plan as printed in Annex 1 of 教职成函〔2024〕87号; the province totals are round numbers.
const text = readFileSync(join(__dirname, '../../../../data/plans/2024.csv'), 'utf8');
const [header, ...rows] = text
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => line.split(','));
const { units, errors } = validatePlanRows(header, rows);

describe('the 2024 plan file', () => {
  it('is UTF-8 without a BOM, with LF line ends', () => {
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).not.toContain('\r');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('validates without a single error', () => {
    expect(errors).toEqual([]);
  });

  it('holds all 151 rows of Annex 1 in order', () => {
    expect(units).toHaveLength(151);
    expect(units[0]).toEqual({
      code: 'R01',
      name: '郑州市(含巩义市)',
      kind: 'region',
      quota: { training: 80600, certified: 68300, advanced: null, onePlusX: 12420 },
    });
    expect(units[150]).toEqual({
      code: 'P16',
      name: '南阳建筑工程学校',
      kind: 'provincial-secondary',
      quota: { training: 590, certified: 500, advanced: null, onePlusX: 80 },
    });
  });

  it('reproduces the province totals exactly', () => {
    expect(planTotals(units)).toEqual({
      training: 1_000_000,
      certified: 830_000,
      advanced: 300_000,
      onePlusX: 150_000,
    });
  });

  it.each([
    ['region', 'R', 19],
    ['undergraduate', 'U', 18],
    ['higher-vocational', 'H', 98],
    ['provincial-secondary', 'P', 16],
  ])('has the %s units numbered %s01 upwards, %i of them', (kind, prefix, count) => {
    const ofKind = units.filter((u) => u.kind === kind);
    expect(ofKind).toHaveLength(count);
    expect(ofKind.map((u) => u.code)).toEqual(
      Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`),
    );
  });

  it('assigns no advanced-worker task to regions and provincial secondary schools, and one to every college', () => {
    for (const u of units) {
      const secondaryOrRegion = u.kind === 'region' || u.kind === 'provincial-secondary';
      expect([u.code, u.quota.advanced === null]).toEqual([u.code, secondaryOrRegion]);
    }
  });

  it('writes "not assigned" as the em dash the notice prints', () => {
    expect(text.split('\n')[1]).toBe('R01,郑州市(含巩义市),region,80600,68300,—,12420');
  });
});
