import { Injectable } from '@nestjs/common';
import type { UnitKind } from '@app/domain';
import { Database } from '@app/platform/database';

export interface UnitRecord {
  code: string;
  name: string;
  kind: UnitKind | 'province';
  parentCode: string | null;
}

const PROVINCE: UnitRecord = { code: 'province', name: '河南省教育厅', kind: 'province', parentCode: null };

/** Which units exist and who their parent is: what access rules and reviewers are judged by. */
@Injectable()
export class UnitDirectory {
  constructor(private readonly db: Database) {}

  async find(code: string | undefined): Promise<UnitRecord | undefined> {
    if (code === undefined) return undefined;
    if (code === PROVINCE.code) return PROVINCE;
    const [row] = await this.db.query<UnitRow>(
      'SELECT code, name, kind, parent_code FROM units WHERE code = $1',
      [code],
    );
    return row ? toUnit(row) : undefined;
  }

  async children(parentCode: string): Promise<UnitRecord[]> {
    const rows = await this.db.query<UnitRow>(
      'SELECT code, name, kind, parent_code FROM units WHERE parent_code = $1 ORDER BY code',
      [parentCode],
    );
    return rows.map(toUnit);
  }

  async all(): Promise<UnitRecord[]> {
    const rows = await this.db.query<UnitRow>(
      'SELECT code, name, kind, parent_code FROM units ORDER BY code',
    );
    return rows.map(toUnit);
  }
}

interface UnitRow {
  code: string;
  name: string;
  kind: UnitKind;
  parent_code: string | null;
}

const toUnit = (row: UnitRow): UnitRecord => ({
  code: row.code,
  name: row.name,
  kind: row.kind,
  parentCode: row.parent_code,
});
