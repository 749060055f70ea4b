import { Global, Module } from '@nestjs/common';
import { Database } from '@app/platform/database';
import { EventStore } from './event-store';

/**
 * The store for the apps' dependency injection, on the pool the platform provides. It lives here, one
 * floor above the platform, so that the platform never imports the store that is built on it.
 */
@Global()
@Module({
  providers: [{ provide: EventStore, useFactory: (db: Database) => new EventStore(db), inject: [Database] }],
  exports: [EventStore],
})
export class EventStoreModule {}
