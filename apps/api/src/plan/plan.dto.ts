import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ALLOCATED_METRICS, type AllocatedMetric, MAX_FIGURE, UNIT_CODE_PATTERN } from '@app/domain';
import { IsFigure, IsQuotaFigure } from '../http/figure';

const CODE = UNIT_CODE_PATTERN;

export class QuotaPatchDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsQuotaFigure() training?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsQuotaFigure() certified?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsQuotaFigure() advanced?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsQuotaFigure() onePlusX?: number | null;
}

export class AdjustmentDto {
  @ApiProperty({ example: 'R01' }) @IsString() @Matches(CODE) unitCode: string;
  @ApiProperty({ type: QuotaPatchDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => QuotaPatchDto)
  quota: QuotaPatchDto;
  @ApiProperty({ example: '因招生计划调整' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class RegisterUnitDto {
  @ApiProperty({ example: 'R01-S001' }) @IsString() @Matches(CODE) code: string;
  @ApiProperty({ example: '郑州市第一中等专业学校' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ enum: ['city-secondary'] }) @IsIn(['city-secondary']) kind: 'city-secondary';
  @ApiProperty({ example: 'R01' }) @IsString() @Matches(CODE) parentCode: string;
}

export class ShareDto {
  @ApiProperty() @IsFigure() training: number;
  @ApiProperty() @IsFigure() certified: number;
  @ApiProperty() @IsFigure() onePlusX: number;
  @ApiPropertyOptional({ description: '发布后修改须填写原因', example: '新校开办' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TransferDto {
  @ApiProperty() @IsString() @Matches(CODE) from: string;
  @ApiProperty() @IsString() @Matches(CODE) to: string;
  @ApiProperty({ enum: ALLOCATED_METRICS }) @IsIn(ALLOCATED_METRICS) metric: AllocatedMetric;
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_FIGURE) amount: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class ReasonDto {
  @ApiProperty({ example: '年度报送结束' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class ReportingStartDto extends ReasonDto {
  @ApiProperty({ example: '2024-04' }) @IsString() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/) period: string;
}
