import type { Params } from 'nestjs-pino';

/** JSON logs on stdout; credentials are cut out before anything is written. */
export function loggerOptions(app: string): Params {
  return {
    pinoHttp: {
      name: app,
      level: process.env.LOG_LEVEL ?? 'info',
      genReqId: (req: any) => req.id,
      autoLogging: { ignore: (req: any) => req.url === '/health' },
      customLogLevel: (_req: any, res: any, err: any) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'silent' : 'info',
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.newPassword',
          '*.currentPassword',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: any) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
        }),
      },
    },
  };
}
