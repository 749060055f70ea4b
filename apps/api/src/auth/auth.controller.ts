import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import {
  ChangePasswordCommand,
  CreateUserCommand,
  DisableUserCommand,
} from '@app/application/users/users.commands';
import type { Request } from 'express';
import type { Actor } from '@app/domain';
import { ProblemException } from '@app/application/problem';
import { UnitDirectory } from '@app/application/units/unit-directory';
import { UserDirectory, type UserRecord } from '@app/application/users/user-directory';
import { UsersService } from '@app/application/users/users.service';
import { IgnoresBody } from '../http/content-type';
import { UsernamePipe } from '../http/params';
import { IfMatch, Versioned } from '../http/versioned';
import { Allow, Public, role } from './access';
import { ChangePasswordDto, CreateUserDto, LoginDto } from './auth.dto';
import { CurrentUser } from './current-user';
import { TokenService } from './tokens';
import {
  BODY_PARSER,
  GUARDED,
  IF_MATCH,
  ProblemResponses,
  WRITE,
  WRITE_BODY,
} from '../http/problem-responses';

const view = (u: UserRecord) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitCode: u.unitCode,
  disabled: u.disabled,
});

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly units: UnitDirectory,
    private readonly tokens: TokenService,
    private readonly commands: CommandBus,
  ) {}

  @Public()
  @ApiOperation({ summary: '登录，换取访问令牌', security: [] })
  @ProblemResponses(...BODY_PARSER, 'UNSUPPORTED_MEDIA_TYPE', 'UNAUTHENTICATED', 'RATE_LIMITED')
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request) {
    const user = await this.users.authenticate(body.username, body.password, req.ip ?? 'unknown');
    return this.tokens.issue(user);
  }

  @ApiBearerAuth()
  @Allow(role('province-admin', 'auditor', 'region-operator', 'filler', 'leader'))
  @ApiOperation({ summary: '当前登录的用户' })
  @ProblemResponses(...GUARDED)
  @Get('auth/me')
  async me(@CurrentUser() actor: Actor) {
    const user = await this.directory.find(actor.username);
    return view(user!);
  }

  @ApiBearerAuth()
  @Allow(role('province-admin', 'auditor', 'region-operator', 'filler', 'leader'))
  @ApiOperation({ summary: '修改本人密码' })
  @ProblemResponses(...WRITE_BODY, 'RATE_LIMITED', 'NOT_FOUND')
  @Post('auth/password')
  @HttpCode(200)
  async changeOwnPassword(@CurrentUser() actor: Actor, @Body() body: ChangePasswordDto, @Req() req: Request) {
    if (body.currentPassword === undefined) {
      throw new ProblemException('VALIDATION_FAILED', '修改本人密码需要提供当前密码', [
        { field: 'currentPassword', code: 'isDefined', message: '“currentPassword”必须填写' },
      ]);
    }
    const generation = await this.commands.execute(
      new ChangePasswordCommand(
        actor.username,
        { type: 'ChangePassword', data: {}, actor },
        body.newPassword,
        body.currentPassword,
        req.ip ?? 'unknown',
      ),
    );
    // Every token issued before has just ended, the caller's too: it goes on with a fresh one.
    return {
      username: actor.username,
      changed: true,
      ...this.tokens.issue({ ...(await this.directory.find(actor.username))!, tokenGeneration: generation }),
    };
  }

  /** A province admin creates anyone; a region operator creates fillers and leaders for its region and its schools. */
  @ApiBearerAuth()
  @Allow(role('province-admin', 'region-operator'))
  @ApiOperation({ summary: '创建用户' })
  @ProblemResponses(...WRITE_BODY, 'NOT_FOUND', 'USERNAME_TAKEN')
  @Post('users')
  async create(@CurrentUser() actor: Actor, @Body() body: CreateUserDto) {
    const data = {
      username: body.username,
      displayName: body.displayName,
      role: body.role,
      unitCode: body.unitCode,
    };
    const user = await this.commands.execute(
      new CreateUserCommand({ type: 'CreateUser', data, actor }, body.password),
    );
    return new Versioned({ username: user.username, role: user.role, unitCode: user.unitCode }, user.version);
  }

  @ApiBearerAuth()
  @Allow(role('province-admin', 'region-operator'))
  @ApiOperation({ summary: '列出可管理的用户' })
  @ProblemResponses(...GUARDED)
  @Get('users')
  async list(@CurrentUser() actor: Actor, @Query('unit') unit?: string) {
    if (actor.role === 'province-admin')
      return (await this.directory.list(unit ? [unit] : undefined)).map(view);
    const scope = [actor.unitCode, ...(await this.units.children(actor.unitCode)).map((u) => u.code)];
    return (await this.directory.list(unit ? scope.filter((c) => c === unit) : scope)).map(view);
  }

  /** Disable an account (a province admin; a region operator for its own region's accounts). */
  @ApiBearerAuth()
  @Allow(role('province-admin', 'region-operator'))
  @ApiOperation({ summary: '停用用户' })
  @ProblemResponses(...WRITE, ...IF_MATCH, 'NOT_FOUND')
  @Post('users/:username/disable')
  @HttpCode(200)
  @IgnoresBody()
  async setStatus(
    @CurrentUser() actor: Actor,
    @Param('username', UsernamePipe) username: string,
    @IfMatch() version: number,
  ) {
    const target = await this.directory.find(username);
    if (!target) throw new ProblemException('NOT_FOUND', `用户 ${username} 不存在`);
    await this.assertManages(actor, target);
    const user = await this.commands.execute(
      new DisableUserCommand(username, { type: 'DisableUser', data: {}, actor }, version),
    );
    return new Versioned(view(user), user.version);
  }

  @ApiBearerAuth()
  @Allow(role('province-admin', 'region-operator'))
  @ApiOperation({ summary: '查看用户' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get('users/:username')
  async get(@CurrentUser() actor: Actor, @Param('username', UsernamePipe) username: string) {
    const target = await this.directory.find(username);
    if (!target) throw new ProblemException('NOT_FOUND', `用户 ${username} 不存在`);
    await this.assertManages(actor, target);
    return new Versioned(view(target), target.version);
  }

  private async assertManages(actor: Actor, target: UserRecord): Promise<void> {
    if (actor.role === 'province-admin') return;
    const unit = await this.units.find(target.unitCode);
    const inScope = target.unitCode === actor.unitCode || unit?.parentCode === actor.unitCode;
    if (!inScope || !['filler', 'leader'].includes(target.role)) {
      throw new ProblemException('FORBIDDEN', '您只能管理本地区及其所属学校的填报人和领导账号');
    }
  }
}
