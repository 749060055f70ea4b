import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const TAGS: Record<string, string> = {
  auth: '登录、本人账号与用户管理',
  plans: '年度计划：发布、调整、报送月份、关闭年度与设置',
  units: '单位：计划单位与各地区登记的中职学校',
  allocation: '地区任务分解到所属中职学校',
  reports: '月报：填写、签字、审核、更正与盖章扫描件',
  progress: '任务进度与报送及时情况（只计已通过的数据）',
  deadlines: '截止检查与提醒记录',
  audit: '审计：账本事件、哈希链校验、检查点与读模型',
  exports: '导出 Excel 进度表与月报表',
  reconciliation: '与技能人才平台数据的比对',
  console: '网页控制台',
  health: '健康检查',
};

/**
 * The OpenAPI document served at /api/docs-json, and linted by `npm run lint` (scripts/openapi-lint.mjs)
 * from an app that never touched a database. Relative server: the document is right wherever it is served.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('skills-ledger')
    .setDescription('“人人持证、技能河南”任务台账：计划、分解、月报、审核与审计')
    .setVersion('1')
    .addServer('/')
    .addBearerAuth();
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  const config = builder.build();
  // An internal system: the licence has a name (package.json) but no public text to link to.
  config.info.license = { name: 'UNLICENSED（内部系统，未授权对外分发）' };
  return SwaggerModule.createDocument(app, config);
}
