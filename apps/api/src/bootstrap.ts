import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, trustProxySetting } from '@app/platform/config';
import { UsersService } from '@app/application/users/users.service';
import { StrictValidationPipe } from './http/validation.pipe';
import { requestContextMiddleware } from './http/request-context.middleware';
import { XLSX_TYPE } from './http/content-type';
import { scanBodyParser } from './scans/scan-body';
import { openApiDocument } from './openapi';

/**
 * Everything main.ts and the tests both do to a Nest app: body parsing with limits, security headers,
 * CORS closed unless configured, the request context, validation, OpenAPI, the first admin.
 */
export async function configureApp(app: INestApplication): Promise<INestApplication> {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } },
    }),
  );
  const origins =
    config.CORS_ORIGINS?.split(',')
      .map((o) => o.trim())
      .filter(Boolean) ?? [];
  if (origins.length > 0) app.enableCors({ origin: origins, exposedHeaders: ['ETag', 'X-Request-Id'] });
  app.use(scanBodyParser);
  app.use(
    express.json({
      limit: config.BODY_LIMIT_BYTES,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(
    express.raw({
      limit: 10 * config.BODY_LIMIT_BYTES,
      type: ['text/csv', XLSX_TYPE, 'application/octet-stream'],
    }),
  );
  // After the body parsers: their callbacks run outside the request's async context.
  app.use(requestContextMiddleware);
  app.useGlobalPipes(new StrictValidationPipe());
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  app.enableShutdownHooks();
  await app.init();
  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    await app.get(UsersService).ensureAdmin(config.ADMIN_USERNAME, config.ADMIN_PASSWORD);
  }
  return app;
}
