import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { type Actor, type Role, UNIT_CODE_PATTERN } from '@app/domain';
import type { UnitDirectory } from '@app/application/units/unit-directory';
import { mayReview } from '@app/application/reports/reviewer';

export interface AccessContext {
  user: Actor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  units: UnitDirectory;
}

/** A rule says yes or no for one request; a route is allowed when any of its rules says yes. */
export type AccessRule = (ctx: AccessContext) => boolean | Promise<boolean>;

export const ACCESS_RULES = 'access-rules';
export const PUBLIC_ROUTE = 'public-route';

/** Routes are denied unless they carry @Allow with at least one rule that admits the caller. */
export const Allow = (...rules: AccessRule[]) => SetMetadata(ACCESS_RULES, rules);
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const role =
  (...roles: Role[]): AccessRule =>
  ({ user }) =>
    roles.includes(user.role as Role);

/** The caller has one of `roles` and its unit is the unit named by route parameter `param`. */
export const ownUnit =
  (param: string, ...roles: Role[]): AccessRule =>
  ({ user, params }) =>
    roles.includes(user.role as Role) && params[param] === user.unitCode;

/** A region operator for the region named by `param`, or for a school whose parent is that region. */
export const regionOfUnit =
  (param: string): AccessRule =>
  async ({ user, params, units }) => {
    if (user.role !== 'region-operator') return false;
    const code = params[param];
    if (code === user.unitCode) return true;
    // A malformed code (a NUL byte, say) must not reach PostgreSQL: it owes nobody anything.
    if (!UNIT_CODE_PATTERN.test(code)) return false;
    const unit = await units.find(code);
    return unit?.parentCode === user.unitCode;
  };

/**
 * The reviewer of the unit named by `param`: its region's operator for a city-secondary school, a province
 * admin for every other unit (review goes level by level). An unknown unit is left to the handler's 404.
 */
export const reviewerOf =
  (param: string): AccessRule =>
  async ({ user, params, units }) => {
    if (user.role !== 'province-admin' && user.role !== 'region-operator') return false;
    if (!UNIT_CODE_PATTERN.test(params[param])) return false;
    const unit = await units.find(params[param]);
    if (!unit) return user.role === 'province-admin';
    return mayReview(user, unit);
  };

/** A region operator whose region is the one given in the query string (e.g. `?region=`). */
export const regionInQuery =
  (name: string): AccessRule =>
  ({ user, query }) =>
    user.role === 'region-operator' && query[name] === user.unitCode;

/** A region operator whose region is the one a field of the body names (e.g. a school's `parentCode`). */
export const regionInBody =
  (name: string): AccessRule =>
  ({ user, body }) =>
    user.role === 'region-operator' &&
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)[name] === user.unitCode;

/** Who may read a unit's report: the province, auditors, the unit itself, and its region's bureau. */
export const REPORT_READERS = (param: string): AccessRule[] => [
  role('province-admin', 'auditor'),
  ownUnit(param, 'filler', 'leader'),
  regionOfUnit(param),
];

export const ANY_ROLE: AccessRule = role('province-admin', 'auditor', 'region-operator', 'filler', 'leader');

export const bearerToken = (req: Request): string | undefined => {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(header.trim());
  return match?.[1];
};
