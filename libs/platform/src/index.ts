export * from './clock';
export * from './config';
export * from './database';
export * from './platform.module';
