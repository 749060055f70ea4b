import { Injectable, PipeTransform } from '@nestjs/common';
import { parsePeriod, UNIT_CODE_PATTERN } from '@app/domain';
import { ProblemException } from '@app/application/problem';

const field = (name: string, message: string) => [{ field: name, code: 'invalid', message }];

/** A plan year in the path: four digits, 2000 to 2100. */
@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(year >= 2000 && year <= 2100)) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `年度“${value}”不正确，应为 2000 到 2100 之间的四位数字`,
        field('year', '年度格式不正确'),
      );
    }
    return year;
  }
}

/** A month in the path or query: YYYY-MM. */
@Injectable()
export class PeriodPipe implements PipeTransform<string | undefined, string> {
  transform(value: string | undefined): string {
    if (typeof value !== 'string' || !parsePeriod(value)) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `月份“${value ?? ''}”不正确，应为 YYYY-MM，例如 2024-03`,
        field('period', '月份格式不正确'),
      );
    }
    return value;
  }
}

/** A unit code in the path. */
@Injectable()
export class UnitCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UNIT_CODE_PATTERN.test(value)) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `单位代码“${value}”格式不正确`,
        field('code', '单位代码格式不正确'),
      );
    }
    return value;
  }
}

/** An optional `asOf` instant: the state after every event recorded at or before it. */
@Injectable()
export class AsOfPipe implements PipeTransform<string | undefined, Date | undefined> {
  transform(value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? new Date(value)
      : undefined;
    if (!instant || Number.isNaN(instant.getTime())) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `asOf“${value}”不是带时区的 ISO-8601 时间，例如 2024-03-31T00:00:00+08:00`,
        field('asOf', '时间格式不正确'),
      );
    }
    return instant;
  }
}

/** A username in the path: the same shape accounts are created with (before it ever reaches SQL). */
@Injectable()
export class UsernamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(value)) {
      throw new ProblemException(
        'VALIDATION_FAILED',
        `用户名“${value}”格式不正确`,
        field('username', '用户名格式不正确'),
      );
    }
    return value;
  }
}
