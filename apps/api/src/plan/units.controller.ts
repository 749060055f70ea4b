import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterSchoolCommand } from '@app/application/units/units.commands';
import type { Actor } from '@app/domain';
import { DomainError } from '@app/domain';
import { UnitDirectory } from '@app/application/units/unit-directory';
import { Allow, ANY_ROLE, regionInBody, role } from '../auth/access';
import { CurrentUser } from '../auth/current-user';
import { UnitCodePipe } from '../http/params';
import { RegisterUnitDto } from './plan.dto';
import { GUARDED, ProblemResponses, WRITE_BODY } from '../http/problem-responses';

@ApiTags('units')
@ApiBearerAuth()
@Controller('api/v1/units')
export class UnitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: UnitDirectory,
  ) {}

  /** A region registers one of its secondary vocational schools (or the province does it for the region). */
  @ApiOperation({ summary: '登记所属中职学校' })
  @ProblemResponses(...WRITE_BODY, 'NOT_FOUND', 'UNIT_CODE_TAKEN')
  @Post()
  @Allow(role('province-admin'), regionInBody('parentCode'))
  async register(@CurrentUser() actor: Actor, @Body() body: RegisterUnitDto) {
    const data = { code: body.code, name: body.name, parentCode: body.parentCode };
    return this.commands.execute(new RegisterSchoolCommand({ type: 'RegisterSchool', data, actor }));
  }

  @ApiOperation({ summary: '列出单位（或某地区的所属学校）' })
  @ProblemResponses(...GUARDED)
  @Get()
  @Allow(ANY_ROLE)
  @ApiQuery({ name: 'parent', required: false })
  async list(@Query('parent') parent?: string) {
    if (parent !== undefined) new UnitCodePipe().transform(String(parent));
    return parent !== undefined ? this.directory.children(String(parent)) : this.directory.all();
  }

  @ApiOperation({ summary: '查看单位' })
  @ProblemResponses(...GUARDED, 'NOT_FOUND')
  @Get(':code')
  @Allow(ANY_ROLE)
  async get(@Param('code', UnitCodePipe) code: string) {
    const unit = await this.directory.find(code);
    if (!unit) throw new DomainError('NOT_FOUND', `单位 ${code} 不存在`);
    return unit;
  }
}
