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
  /** Tokens carry the generation they were issued under; a password change moves it on. */
  tokenGeneration: number;
}

const COLUMNS = `u.username, u.display_name, u.role, u.unit_code, u.disabled, u.version,
  COALESCE(c.token_generation, 0) AS token_generation`;
interface UserRow {
  username: string;
  display_name: string;
  role: Role;
  unit_code: string;
  disabled: boolean;
  version: number;
  token_generation: number;
}

const toRecord = (row: UserRow): UserRecord => ({
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  unitCode: row.unit_code,
  disabled: row.disabled,
  version: row.version,
  tokenGeneration: row.token_generation,
});

@Injectable()
export class UserDirectory {
  constructor(private readonly db: Database) {}

  async find(rawUsername: string): Promise<UserRecord | undefined> {
    const username = normalizeUsername(rawUsername);
    const [row] = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN user_credentials c USING (username) WHERE u.username = $1`,
      [username],
    );
    return row ? toRecord(row) : undefined;
  }

  async list(unitCodes?: string[]): Promise<UserRecord[]> {
    const rows = await this.db.query<UserRow>(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN user_credentials c USING (username)
        WHERE $1::text[] IS NULL OR u.unit_code = ANY($1) ORDER BY u.unit_code, u.username`,
      [unitCodes ?? null],
    );
    return rows.map(toRecord);
  }
}
