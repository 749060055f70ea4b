import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@app/domain';

/** The authenticated caller, as the access guard found it. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest<{ user: Actor }>().user,
);
