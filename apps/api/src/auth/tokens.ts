import { Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor, Role } from '@app/domain';
import { AppConfig } from '@app/platform/config';
import type { UserDirectory, UserRecord } from '@app/application/users/user-directory';

const ISSUER = 'skills-ledger';
const AUDIENCE = 'skills-ledger-api';

interface Claims {
  sub: string;
  role: Role;
  unit: string;
  /** The user's token generation at issue: a password change moves it on and ends older tokens. */
  gen: number;
}

export interface TokenClaims extends Pick<Actor, 'username' | 'role' | 'unitCode'> {
  tokenGeneration: number;
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

  issue(user: { username: string; role: Role; unitCode: string; tokenGeneration: number }): {
    accessToken: string;
    expiresIn: number;
  } {
    const claims: Claims = {
      sub: user.username,
      role: user.role,
      unit: user.unitCode,
      gen: user.tokenGeneration,
    };
    return { accessToken: this.jwt.sign(claims), expiresIn: this.config.JWT_TTL_SECONDS };
  }

  /**
   * The user a token still speaks for: valid claims of an enabled user whose role, unit and token
   * generation are unchanged since it was issued (a password change or a move ends older tokens).
   */
  async userOf(token: string | undefined, users: UserDirectory): Promise<UserRecord | undefined> {
    const claims = token ? this.verify(token) : undefined;
    const user = claims ? await users.find(claims.username) : undefined;
    const current =
      user !== undefined &&
      !user.disabled &&
      user.role === claims!.role &&
      user.unitCode === claims!.unitCode &&
      user.tokenGeneration === claims!.tokenGeneration;
    return current ? user : undefined;
  }

  /** The claims of a valid token, or undefined for anything forged, expired or malformed. */
  verify(token: string): TokenClaims | undefined {
    try {
      const claims = this.jwt.verify<Claims & { exp?: number }>(token);
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
      if (!Number.isSafeInteger(claims.gen)) return undefined;
      return {
        username: claims.sub,
        role: claims.role,
        unitCode: claims.unit,
        tokenGeneration: claims.gen,
      };
    } catch {
      return undefined;
    }
  }
}
