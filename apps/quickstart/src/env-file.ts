import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/** What var/quickstart.env keeps for this clone: the api's signing secret and the admin's login. */
export interface QuickstartSecrets {
  JWT_SECRET: string;
  ADMIN_USERNAME: string;
  ADMIN_PASSWORD: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{2,63}$/;

export const newPassword = (): string => randomBytes(12).toString('base64url');

/**
 * Reads `KEY=VALUE` lines and ignores everything else: a truncated, hand-edited or foreign file never
 * stops the quickstart, whatever is missing or unusable is generated afresh (and `changed` says so).
 */
export function readSecrets(path: string): { secrets: QuickstartSecrets; changed: boolean } {
  const found = existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
  const secrets: QuickstartSecrets = {
    JWT_SECRET: (found.JWT_SECRET ?? '').length >= 32 ? found.JWT_SECRET : randomBytes(32).toString('hex'),
    ADMIN_USERNAME: USERNAME.test(found.ADMIN_USERNAME ?? '') ? found.ADMIN_USERNAME : 'admin',
    ADMIN_PASSWORD: (found.ADMIN_PASSWORD ?? '').length >= 8 ? found.ADMIN_PASSWORD : newPassword(),
  };
  const changed = (Object.keys(secrets) as (keyof QuickstartSecrets)[]).some((k) => secrets[k] !== found[k]);
  return { secrets, changed };
}

export function writeSecrets(path: string, secrets: QuickstartSecrets): void {
  const lines = [
    '# Written by npm run quickstart: this clone only, never commit it (var/ is ignored by git).',
    `JWT_SECRET=${secrets.JWT_SECRET}`,
    `ADMIN_USERNAME=${secrets.ADMIN_USERNAME}`,
    `ADMIN_PASSWORD=${secrets.ADMIN_PASSWORD}`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function parseEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}
