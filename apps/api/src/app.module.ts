import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationModule } from '@app/application/application.module';
import { PlatformModule } from '@app/platform/platform.module';
import { loggerOptions } from '@app/platform/logging';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { ContentTypeInterceptor } from './http/content-type';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { LedgerPositionInterceptor } from './http/ledger-position';
import { ProblemFilter } from './http/problem.filter';
import { VersionedInterceptor } from './http/versioned';
import { FEATURE_MODULES } from './features';

@Module({
  imports: [
    LoggerModule.forRoot(loggerOptions('api')),
    PlatformModule,
    ApplicationModule,
    CqrsModule.forRoot(),
    AuthModule,
    ...FEATURE_MODULES,
  ],
  controllers: [HealthController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    // Order matters: content type first, idempotency around the ledger position and versioning, so a
    // replay carries X-Ledger-Position and the ETag.
    { provide: APP_INTERCEPTOR, useClass: ContentTypeInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: LedgerPositionInterceptor },
    { provide: APP_INTERCEPTOR, useClass: VersionedInterceptor },
  ],
})
export class AppModule {}
