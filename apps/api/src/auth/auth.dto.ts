import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role, UNIT_CODE_PATTERN } from '@app/domain';

export class LoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'zz-filler' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/)
  username: string;

  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(256) password: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) displayName: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @ApiProperty({ example: 'R01' }) @IsString() @Matches(UNIT_CODE_PATTERN) unitCode: string;
}

export class ChangePasswordDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) currentPassword?: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(256) newPassword: string;
}
