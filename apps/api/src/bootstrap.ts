import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, trustProxySetting } from '@app/platform/config';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, SYSTEM_ACTOR } from '@app/domain';
import { CreateUserCommand } from '@app/application/users/users.commands';
import { UserDirectory } from '@app/application/users/user-directory';
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
    await ensureAdmin(app, config.ADMIN_USERNAME, config.ADMIN_PASSWORD);
  }
  return app;
}

/** Creates the first province admin from the environment when that user does not exist yet. */
async function ensureAdmin(app: INestApplication, username: string, password: string): Promise<void> {
  if (await app.get(UserDirectory).find(username)) return;
  const data = { username, displayName: '省级管理员', role: 'province-admin' as const, unitCode: 'province' };
  try {
    await app
      .get(CommandBus)
      .execute(new CreateUserCommand({ type: 'CreateUser', data, actor: SYSTEM_ACTOR }, password));
  } catch (error) {
    // Another process created it at the same moment.
    if (!(error instanceof DomainError && error.code === 'USERNAME_TAKEN')) throw error;
  }
}
