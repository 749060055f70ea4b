import { Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor, Role } from '@app/domain';
import { AppConfig } from '@app/platform/config';

const ISSUER = 'skills-ledger';
const AUDIENCE = 'skills-ledger-api';

interface Claims {
  sub: string;
  role: Role;
  unit: string;
}

/** HS256 only, with issuer, audience and expiry pinned on both sides: `alg: none` or RS/HS confusion fails. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(private readonly config: AppConfig) {
    // A KeyObject, not the string: jsonwebtoken would otherwise rebuild the key on every request.
    if (!config.JWT_SECRET) throw new Error('JWT_SECRET is required by the api');
    const secret = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as string;
    this.jwt = new JwtService({
      secret,
      signOptions: {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: config.JWT_TTL_SECONDS,
      },
      verifyOptions: { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE },
    });
  }

  issue(user: { username: string; role: Role; unitCode: string }): {
    accessToken: string;
    expiresIn: number;
  } {
    const claims: Claims = { sub: user.username, role: user.role, unit: user.unitCode };
    return { accessToken: this.jwt.sign(claims), expiresIn: this.config.JWT_TTL_SECONDS };
  }

  /** The claims of a valid token, or undefined for anything forged, expired or malformed. */
  verify(token: string): Pick<Actor, 'username' | 'role' | 'unitCode'> | undefined {
    try {
      const claims = this.jwt.verify<Claims & { exp?: number }>(token);
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
      return { username: claims.sub, role: claims.role, unitCode: claims.unit };
    } catch {
      return undefined;
    }
  }
}
