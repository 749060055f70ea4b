import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, Router } from 'express';
import { DeadlineQueue } from '@app/application/deadlines/deadline-queue';
import { UserDirectory } from '@app/application/users/user-directory';
import { TokenService } from '../auth/tokens';
import { AppConfig } from '@app/platform/config';
import { dashboardSession, provinceAdminOnly } from './queue-dashboard.middleware';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators at /admin/queues. Mounted when the module starts, which Nest does after
 * registering its own routes and before its 404 handler, so the dashboard sits behind the same
 * security headers and request ids as the API.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queue: DeadlineQueue,
    private readonly tokens: TokenService,
    private readonly users: UserDirectory,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter?.getInstance<Express>();
    if (!http) return; // not an HTTP application (e.g. a test context without a server)
    if (!this.queue.enabled) return; // REDIS_URL=none: no queue to show, /admin/queues is 404
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(this.queue.queue, { readOnlyMode: false })],
      // @bull-board/express pins its own patch release of @bull-board/api: same shape, distinct types.
      serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'skills-ledger 任务队列' } },
    });
    http.use(
      QUEUE_DASHBOARD_PATH,
      provinceAdminOnly(this.tokens, this.users),
      dashboardSession(this.config.JWT_TTL_SECONDS),
      board.getRouter() as Router, // typed `any` by @bull-board/express
    );
  }
}
