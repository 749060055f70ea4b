import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterSchoolCommand } from '@app/application/plan/plan.commands';
import type { Actor } from '@app/domain';
import { DomainError } from '@app/domain';
import { UnitDirectory } from '@app/application/units/unit-directory';
import { Allow, ANY_ROLE, regionInBody, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { UnitCodePipe } from '../http/params';
import { RegisterUnitDto } from './plan.dto';

@ApiTags('units')
@ApiBearerAuth()
@Controller('api/v1/units')
export class UnitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: UnitDirectory,
  ) {}

  /** A region registers one of its secondary vocational schools (or the province does it for the region). */
  @Post()
  @Allow(role('province-admin'), regionInBody('parentCode'))
  async register(@CurrentUser() actor: Actor, @Body() body: RegisterUnitDto) {
    const school = { code: body.code, name: body.name, parentCode: body.parentCode };
    return this.commands.execute(new RegisterSchoolCommand(actor, school));
  }

  @Get()
  @Allow(ANY_ROLE)
  @ApiQuery({ name: 'parent', required: false })
  async list(@Query('parent') parent?: string) {
    if (parent !== undefined) new UnitCodePipe().transform(String(parent));
    return parent !== undefined ? this.directory.children(String(parent)) : this.directory.all();
  }

  @Get(':code')
  @Allow(ANY_ROLE)
  async get(@Param('code', UnitCodePipe) code: string) {
    const unit = await this.directory.find(code);
    if (!unit) throw new DomainError('NOT_FOUND', `单位 ${code} 不存在`);
    return unit;
  }
}
