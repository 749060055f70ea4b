import type { Params } from 'nestjs-pino';
import type { Options, StdSerializedResults } from 'pino-http';

/** JSON logs on stdout; credentials are cut out before anything is written. */
export function loggerOptions(app: string): Params {
  const pinoHttp: Options = {
    name: app,
    level: process.env.LOG_LEVEL ?? 'info',
    genReqId: (req) => req.id,
    autoLogging: { ignore: (req) => req.url === '/health' },
    customLogLevel: (_req, res, err) =>
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
      req: (req: StdSerializedResults['req']) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
    },
  };
  return { pinoHttp };
}
