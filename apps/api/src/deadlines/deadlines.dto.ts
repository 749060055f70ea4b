import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PERIOD_PATTERN } from '@app/domain';

export class RemindersQueryDto {
  @ApiPropertyOptional({ example: '2024-03', description: 'YYYY-MM' })
  @IsOptional()
  @Matches(PERIOD_PATTERN)
  period?: string;

  @ApiPropertyOptional({ example: 'R01' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/)
  unit?: string;

  @ApiPropertyOptional({ enum: ['reminder', 'digest'] })
  @IsOptional()
  @IsIn(['reminder', 'digest'])
  kind?: 'reminder' | 'digest';
}
