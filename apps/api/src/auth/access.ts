import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, Role } from '@app/domain';
import type { UnitDirectory } from '@app/application/units/unit-directory';

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
    const unit = await units.find(code);
    return unit?.parentCode === user.unitCode;
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
    user.role === 'region-operator' && typeof body === 'object' && body !== null && (body as any)[name] === user.unitCode;

export const ANY_ROLE: AccessRule = role('province-admin', 'auditor', 'region-operator', 'filler', 'leader');

export const bearerToken = (req: Request): string | undefined => {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(header.trim());
  return match?.[1];
};
