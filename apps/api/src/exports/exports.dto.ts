import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ProgressQueryDto } from '../reports/reports.dto';

export class ProgressExportQuery extends ProgressQueryDto {
  @ApiPropertyOptional({ enum: ['regions'], description: 'add one sheet per region (province view only)' })
  @IsOptional()
  @IsIn(['regions'])
  sheets?: 'regions';
}
