import { IsDefined, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { MAX_FIGURE } from '@app/domain';

/** A figure of the notice: a whole number from 0 to 1,000,000,000 (sent as a number, never a string). */
export const IsFigure =
  () =>
  (target: object, key: string): void => {
    IsDefined()(target, key);
    IsInt()(target, key);
    Min(0)(target, key);
    Max(MAX_FIGURE)(target, key);
  };

/** A task's figure, or null where the notice prints "—" (not assigned). */
export const IsQuotaFigure =
  () =>
  (target: object, key: string): void => {
    ValidateIf((o: Record<string, unknown>) => o[key] !== null)(target, key);
    IsInt()(target, key);
    Min(0)(target, key);
    Max(MAX_FIGURE)(target, key);
  };
