import { parseAt } from './at.parse.ts';
import { parseCron } from './cron.parse.ts';
import { parseRate } from './rate.parse.ts';
import { ScheduleExpressionError } from './schedule.errors.ts';
import type { ParsedSchedule, ScheduleDialect } from './schedule.types.ts';

/**
 * Parses an AWS schedule expression. EventBridge rules (`'rule'`) accept `rate()` and `cron()`;
 * EventBridge Scheduler (`'scheduler'`, the default) also accepts `at()`. Throws
 * {@link ScheduleExpressionError} carrying AWS's exact message for the dialect and our own hint.
 *
 * The 256-character limit of `ScheduleExpression` is a model constraint with its own error shape
 * and belongs to the API layer; this parser accepts any length (its work is linear).
 */
export function parseScheduleExpression(
  expression: string,
  dialect: ScheduleDialect = 'scheduler',
): ParsedSchedule {
  if (typeof expression !== 'string') {
    throw new ScheduleExpressionError(
      String(expression),
      dialect,
      'the expression must be a string',
    );
  }
  let result: { ok: true; value: ParsedSchedule } | { ok: false; hint: string };
  if (expression.startsWith('rate(')) result = parseRate(expression);
  else if (expression.startsWith('cron(')) result = parseCron(expression);
  else if (expression.startsWith('at(')) {
    result =
      dialect === 'rule'
        ? {
            ok: false,
            hint: 'at() expressions are accepted by EventBridge Scheduler only, not by rules',
          }
        : parseAt(expression);
  } else {
    result = {
      ok: false,
      hint:
        dialect === 'rule'
          ? "expected 'rate(...)' or 'cron(...)' with nothing before or after"
          : "expected 'at(...)', 'rate(...)' or 'cron(...)' with nothing before or after",
    };
  }
  if (!result.ok) throw new ScheduleExpressionError(expression, dialect, result.hint);
  return result.value;
}
