import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UserDirectory } from '@app/application/users/user-directory';
import { bearerToken } from '../auth/access';
import { TokenService } from '../auth/tokens';

/** A browser cannot put a bearer token on page loads, so the dashboard also takes it from this cookie. */
export const DASHBOARD_COOKIE = 'skills_queues';

const JWT = /^[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*$/;
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

function cookieToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === DASHBOARD_COOKIE && JWT.test(value.join('='))) return value.join('=');
  }
  return undefined;
}

/** A cookie rides along on cross-site requests too: changes by cookie must come from this origin. */
function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The dashboard is plain express, outside Nest's routing, so the global AccessGuard never sees it:
 * this repeats its checks (valid token of an enabled user whose role and unit still match) and then
 * admits province admins only.
 */
export function provinceAdminOnly(tokens: TokenService, users: UserDirectory): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const header = bearerToken(req);
      const token = header ?? cookieToken(req);
      const user = await tokens.userOf(token, users);
      if (!user) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return refuse(res, 401, 'UNAUTHENTICATED', '请先登录（令牌缺失、无效或已过期）');
      }
      if (user.role !== 'province-admin') {
        return refuse(res, 403, 'FORBIDDEN', '只有省级管理员可以查看任务队列');
      }
      if (!header && !SAFE_METHODS.includes(req.method) && !sameOrigin(req)) {
        return refuse(res, 403, 'FORBIDDEN', '跨站请求不能修改任务队列');
      }
      res.locals.dashboardToken = token;
      res.locals.viaHeader = header !== undefined;
      next();
    })().catch(next);
  };
}

/**
 * POST {base}/session with the bearer header stores the token in an HttpOnly, SameSite=Strict cookie
 * scoped to the dashboard, so the browser can open it; DELETE removes it.
 */
export function dashboardSession(ttlSeconds: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/session') return next();
    const attributes = `Path=${req.baseUrl}; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`;
    if (req.method === 'DELETE') {
      res.setHeader('Set-Cookie', `${DASHBOARD_COOKIE}=; ${attributes}; Max-Age=0`);
      return void res.status(204).end();
    }
    if (req.method !== 'POST') return next();
    if (!res.locals.viaHeader) {
      return refuse(res, 401, 'UNAUTHENTICATED', '请在 Authorization 请求头中提供令牌');
    }
    res.setHeader(
      'Set-Cookie',
      `${DASHBOARD_COOKIE}=${res.locals.dashboardToken}; ${attributes}; Max-Age=${ttlSeconds}`,
    );
    res.status(204).end();
  };
}

function refuse(res: Response, status: number, code: string, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: `/problems/${code.toLowerCase()}`,
      title: status === 401 ? '未登录或登录已失效' : '无权进行此操作',
      status,
      code,
      detail,
    });
}
