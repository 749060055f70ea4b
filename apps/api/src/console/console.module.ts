import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** Serves the browser console; everything it does goes through the public API like any other client. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
