export const ROLES = ['province-admin', 'auditor', 'region-operator', 'filler', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = [
  'region',
  'undergraduate',
  'higher-vocational',
  'provincial-secondary',
  'city-secondary',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** Kinds that appear in the province's plan file; city-secondary schools are registered by their region. */
export const PLAN_UNIT_KINDS = [
  'region',
  'undergraduate',
  'higher-vocational',
  'provincial-secondary',
] as const;
export type PlanUnitKind = (typeof PLAN_UNIT_KINDS)[number];

/** Who issues a command. The system itself (deadline sweeps) acts as role `system`. */
export interface Actor {
  userId: string;
  username: string;
  role: Role | 'system';
  unitCode: string;
}

export const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  username: 'system',
  role: 'system',
  unitCode: 'province',
};
