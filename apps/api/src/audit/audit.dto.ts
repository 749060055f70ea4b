import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

export class AuditEventsQuery {
  @ApiPropertyOptional({ description: 'events after this global position (exclusive); the previous `next`' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  after?: number;
  @ApiPropertyOptional({ description: 'page size, 1 to 1000 (default 100)' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ description: 'one stream, e.g. report-R01-2024-03' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  stream?: string;
  @ApiPropertyOptional({ description: 'events of one unit: its reports, its school registration, its split' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/)
  unit?: string;
  @ApiPropertyOptional({ description: 'event types, comma-separated' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,63}(,[A-Za-z][A-Za-z0-9]{0,63})*$/)
  type?: string;
  @ApiPropertyOptional({ description: 'recorded at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'recorded before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class SignCheckpointDto {
  @ApiPropertyOptional({ example: '年度审计前封存' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  // Control characters have no place in a reason, and PostgreSQL's text refuses NUL outright.
  @Matches(/^[^\p{Cc}]*$/u, { message: '原因不能包含控制字符' })
  reason?: string;
}
