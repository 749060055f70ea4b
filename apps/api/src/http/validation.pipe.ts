import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ProblemException } from '@app/application/problem';

const MESSAGES: Record<string, (c: string) => string> = {
  whitelistValidation: () => '不允许的字段',
  isInt: () => '必须是整数',
  min: (c) => c.replace(/.*must not be less than (\S+).*/, '不能小于 $1'),
  max: (c) => c.replace(/.*must not be greater than (\S+).*/, '不能大于 $1'),
  isString: () => '必须是文本',
  isNotEmpty: () => '不能为空',
  isDefined: () => '必须填写',
  isIn: () => '取值不在允许范围内',
  isObject: () => '必须是对象',
  nestedValidation: () => '必须是对象',
  matches: () => '格式不正确',
  maxLength: (c) => c.replace(/.*must be shorter than or equal to (\S+).*/, '长度不能超过 $1'),
  minLength: (c) => c.replace(/.*must be longer than or equal to (\S+).*/, '长度不能少于 $1'),
  isBoolean: () => '必须是 true 或 false',
  isPositive: () => '必须大于 0',
  isEnum: () => '取值不在允许范围内',
  isArray: () => '必须是数组',
};

function flatten(errors: ValidationError[], prefix = ''): { field: string; code: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, text]) => ({
      field,
      code: constraint,
      message: `“${field}”${(MESSAGES[constraint] ?? (() => '不符合要求'))(text)}`,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Strict input: no implicit conversion (a figure sent as "5" is refused), unknown fields refused at
 * any depth, every problem listed in Chinese with its field.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new ProblemException('VALIDATION_FAILED', '请求内容不符合要求', flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto =
      metadata.type === 'body' &&
      metadata.metatype &&
      !([Object, String, Buffer] as unknown[]).includes(metadata.metatype);
    if (isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ProblemException('VALIDATION_FAILED', '请求体必须是 JSON 对象');
    }
    return super.transform(value, metadata);
  }
}
