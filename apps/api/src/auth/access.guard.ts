import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from '@app/domain';
import { ProblemException } from '@app/application/problem';
import { currentContext } from '@app/application/request-context';
import { UnitDirectory } from '@app/application/units/unit-directory';
import { UserDirectory } from '@app/application/users/user-directory';
import { ACCESS_RULES, type AccessRule, bearerToken, PUBLIC_ROUTE } from './access';
import { TokenService } from './tokens';

/**
 * The one gate of the API: public routes pass; every other route needs a valid token of an enabled
 * user, and then a rule on the route that admits this caller for this data. No rule, no entry.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly units: UnitDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const user = await this.tokens.userOf(bearerToken(req), this.users);
    if (!user) {
      throw new ProblemException('UNAUTHENTICATED', '请先登录（令牌缺失、无效或已过期）');
    }
    const actor: Actor = {
      userId: user.username,
      username: user.username,
      role: user.role,
      unitCode: user.unitCode,
    };
    req.user = actor;
    const ctx = currentContext();
    if (ctx) ctx.actor = actor;
    const rules = this.reflector.getAllAndOverride<AccessRule[]>(ACCESS_RULES, targets) ?? [];
    const access = {
      user: actor,
      params: req.params as Record<string, string>,
      query: req.query,
      body: req.body as unknown,
      units: this.units,
    };
    for (const rule of rules) {
      if (await rule(access)) return true;
    }
    throw new ProblemException('FORBIDDEN', '您的角色或所属单位无权进行此操作');
  }
}
