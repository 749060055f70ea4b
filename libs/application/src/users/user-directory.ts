import { Injectable } from '@nestjs/common';
import { normalizeUsername, type Role } from '@app/domain';
import { Database } from '@app/platform/database';

export interface UserRecord {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
  disabled: boolean;
  version: number;
}

@Injectable()
export class UserDirectory {
  constructor(private readonly db: Database) {}

  async find(rawUsername: string): Promise<UserRecord | undefined> {
    const username = normalizeUsername(rawUsername);
    const [row] = await this.db.query(
      'SELECT username, display_name, role, unit_code, disabled, version FROM users WHERE username = $1',
      [username],
    );
    return row
      ? {
          username: row.username,
          displayName: row.display_name,
          role: row.role,
          unitCode: row.unit_code,
          disabled: row.disabled,
          version: row.version,
        }
      : undefined;
  }

  async list(unitCodes?: string[]): Promise<UserRecord[]> {
    const rows = await this.db.query(
      `SELECT username, display_name, role, unit_code, disabled, version FROM users
        WHERE $1::text[] IS NULL OR unit_code = ANY($1) ORDER BY unit_code, username`,
      [unitCodes ?? null],
    );
    return rows.map((row) => ({
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      unitCode: row.unit_code,
      disabled: row.disabled,
      version: row.version,
    }));
  }
}
