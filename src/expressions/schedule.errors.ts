import { ValidationException } from '../platform/errors.ts';
import type { ScheduleDialect } from './schedule.types.ts';

/**
 * An invalid schedule expression. `message` is exactly what AWS answers (it differs between
 * EventBridge rules and EventBridge Scheduler); `hint` is our own explanation for humans.
 */
export class ScheduleExpressionError extends ValidationException {
  readonly expression: string;
  readonly dialect: ScheduleDialect;
  /** Which part of the expression is wrong and why, e.g. `minutes field: 71 is outside 0-59`. */
  readonly hint: string;

  constructor(expression: string, dialect: ScheduleDialect, hint: string) {
    super(awsMessage(expression, dialect));
    this.name = 'ScheduleExpressionError';
    this.expression = expression;
    this.dialect = dialect;
    this.hint = hint;
  }
}

/** AWS's verified wording: rules say nothing specific; Scheduler echoes the input verbatim. */
function awsMessage(expression: string, dialect: ScheduleDialect): string {
  return dialect === 'rule'
    ? 'Parameter ScheduleExpression is not valid.'
    : `Invalid Schedule Expression ${expression}.`;
}

/**
 * An unknown `ScheduleExpressionTimezone`.
 *
 * AWS's exact wording for this case is unconfirmed (see the reference, §1.4); `Invalid timezone
 * <tz>.` is our stand-in until a capture shows otherwise.
 */
export class InvalidTimezoneError extends ValidationException {
  readonly timezone: string;
  readonly hint: string;

  constructor(timezone: string, hint: string) {
    super(`Invalid timezone ${timezone}.`);
    this.name = 'InvalidTimezoneError';
    this.timezone = timezone;
    this.hint = hint;
  }
}
