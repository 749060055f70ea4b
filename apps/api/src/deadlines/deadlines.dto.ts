import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PERIOD_PATTERN, UNIT_CODE_PATTERN } from '@app/domain';

export class RemindersQueryDto {
  @ApiPropertyOptional({ example: '2024-03', description: 'YYYY-MM' })
  @IsOptional()
  @Matches(PERIOD_PATTERN)
  period?: string;

  @ApiPropertyOptional({ example: 'R01' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN)
  unit?: string;

  @ApiPropertyOptional({ enum: ['reminder', 'digest', 'scan'] })
  @IsOptional()
  @IsIn(['reminder', 'digest', 'scan'])
  kind?: 'reminder' | 'digest' | 'scan';
}
