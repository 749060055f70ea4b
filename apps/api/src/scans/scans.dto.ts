import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsDefined } from 'class-validator';

export class PlanSettingsDto {
  @ApiProperty({ description: '确认月报前是否必须上传签字盖章扫描件', example: true })
  @IsDefined()
  @IsBoolean({ message: 'requireScan 必须是 true 或 false' })
  requireScan!: boolean;
}
