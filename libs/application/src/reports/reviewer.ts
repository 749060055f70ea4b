import type { Actor } from '@app/domain';

export interface Reviewer {
  role: 'province-admin' | 'region-operator';
  /** The reviewing body: `province`, or the school's region. */
  unitCode: string;
}

/**
 * Review goes level by level: a region's bureau reviews its city-secondary schools, the province reviews
 * every unit that reports to it directly (regions, colleges, provincial schools).
 */
export function reviewerOf(unit: { kind: string; parentCode: string | null }): Reviewer {
  return unit.kind === 'city-secondary' && unit.parentCode
    ? { role: 'region-operator', unitCode: unit.parentCode }
    : { role: 'province-admin', unitCode: 'province' };
}

export function mayReview(
  actor: Pick<Actor, 'role' | 'unitCode'>,
  unit: { kind: string; parentCode: string | null },
) {
  const reviewer = reviewerOf(unit);
  if (actor.role !== reviewer.role) return false;
  return reviewer.role === 'province-admin' || actor.unitCode === reviewer.unitCode;
}
