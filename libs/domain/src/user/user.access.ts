import { Role, UnitKind } from '../shared/actor';
import { PROVINCE_CODE } from '../shared/validation';
import { PROVINCE_ROLES } from './user.decider';

export interface UserCreator {
  role: Role | 'system';
  unitCode: string;
}

/** The unit the new user would belong to; `unitKind` is null for the province itself. */
export interface UserTarget {
  role: Role;
  unitCode: string;
  unitKind: UnitKind | null;
  unitParentCode: string | null;
}

/** Where each role may sit: the province's roles on the province, an operator on a region, signers on a reporting unit. */
function roleFitsUnit(t: UserTarget): boolean {
  if (PROVINCE_ROLES.includes(t.role)) return t.unitCode === PROVINCE_CODE;
  if (t.role === 'region-operator') return t.unitKind === 'region';
  return t.unitCode !== PROVINCE_CODE && t.unitKind !== null;
}

/**
 * API.md: a province admin creates any user; a region operator creates fillers and leaders for its
 * own region and for the city-secondary schools under it, and nothing else.
 */
export function canCreateUser(creator: UserCreator, target: UserTarget): boolean {
  if (!roleFitsUnit(target)) return false;
  // The system creates the first province admin at start-up.
  if (creator.role === 'province-admin' || creator.role === 'system') return true;
  if (creator.role !== 'region-operator') return false;
  if (target.role !== 'filler' && target.role !== 'leader') return false;
  if (target.unitCode === creator.unitCode) return target.unitKind === 'region';
  return target.unitKind === 'city-secondary' && target.unitParentCode === creator.unitCode;
}
