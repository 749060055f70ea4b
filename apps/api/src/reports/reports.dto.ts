import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
  ValidateNested,
} from 'class-validator';
import { PERIOD_PATTERN, UNIT_CODE_PATTERN } from '@app/domain';
import { IsFigure } from '../http/figure';

/** This month's figures: four integers from 0 to 1,000,000,000, nothing else. */
export class FiguresDto {
  @ApiProperty({ example: 600, description: '培训任务（人次）' }) @IsFigure() training: number;
  @ApiProperty({ example: 500, description: '取证人数' }) @IsFigure() certified: number;
  @ApiProperty({ example: 260, description: '其中高级工及以上' }) @IsFigure() advanced: number;
  @ApiProperty({ example: 90, description: '1+X 证书取证人数' }) @IsFigure() onePlusX: number;
}

const FiguresField = () => (target: object, key: string) => {
  ApiProperty({ type: FiguresDto })(target, key);
  IsDefined()(target, key);
  IsObject()(target, key);
  ValidateNested()(target, key);
  Type(() => FiguresDto)(target, key);
};

export class EnterFiguresDto {
  @FiguresField() figures: FiguresDto;
  @ApiPropertyOptional({ example: '含校外培训 120 人次' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** A filler signs with name and phone; a leader's phone, if sent, is not recorded. */
export class SignatureDto {
  @ApiProperty({ example: '张三' }) @IsString() @MaxLength(50) name: string;
  @ApiPropertyOptional({ example: '0371-69691788' }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

/** The leader's refusal to sign; a blank reason is the domain's REASON_REQUIRED. */
export class RefusalDto {
  @ApiProperty({ example: '李四' }) @IsString() @MaxLength(50) name: string;
  @ApiProperty({ example: '取证人数与学校台账不符，请核实' }) @IsString() @MaxLength(500) reason: string;
}

/** A missing or blank reason for a return is the domain's REASON_REQUIRED, not a shape error. */
export class ReviewDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return']) decision: 'accept' | 'return';
  @ApiPropertyOptional({ example: '培训人次与平台数据不一致' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AmendmentDto {
  @FiguresField() figures: FiguresDto;
  @ApiProperty({ example: '补录漏报的校外培训' }) @IsOptional() @IsString() @MaxLength(500) reason: string;
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

export class DiffQuery {
  @ApiProperty({ example: 1 }) @Transform(toInt) @IsInt() @Min(1) @Max(100000) from: number;
  @ApiProperty({ example: 2 }) @Transform(toInt) @IsInt() @Min(1) @Max(100000) to: number;
}

export class ProgressQueryDto {
  @ApiProperty({ example: '2024-03' })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: '月份格式应为 YYYY-MM' })
  period: string;
  @ApiPropertyOptional({ example: 'R01', description: "a region's schools instead of the plan's units" })
  @IsOptional()
  @IsString()
  @Matches(UNIT_CODE_PATTERN, { message: '地区代码格式不正确' })
  region?: string;
  @ApiPropertyOptional({
    example: 1842,
    description:
      'X-Ledger-Position of the caller’s last command: the answer reflects every event up to it (waits up to 5 s, else 503 READ_MODEL_BEHIND)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'minPosition 应为非负整数' })
  @Min(0, { message: 'minPosition 应为非负整数' })
  minPosition?: number;
}
