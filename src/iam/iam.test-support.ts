/**
 * Policy documents for tests, as JSON strings the IAM API takes: a trust policy admitting one
 * principal (with an optional condition), and an identity policy allowing some actions.
 */

/** `sts:AssumeRole` allowed to `principal` (`{ Service: … }`, `{ AWS: … }`). */
export function trustPolicy(principal: unknown, condition?: unknown): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: 'sts:AssumeRole',
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  });
}

/** `actions` allowed on `resource` (every resource by default). */
export function allowPolicy(actions: string | readonly string[], resource = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }],
  });
}
