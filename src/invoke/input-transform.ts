/**
 * What a target receives instead of the event: `InputPath` (a JSONPath into the event) and
 * `InputTransformer` (paths bound to names, substituted into a template). Covers the dot/bracket
 * subset of JSONPath EventBridge documents (`$.detail.x`, `$.resources[0]`) and the reserved
 * `<aws.events.*>` placeholders; anything else yields an error the invoker records.
 */

/** Outcome of an input computation: the JSON value, or why it could not be built. */
export type InputResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Resolves `$`, `$.a.b`, `$.a[0]`, `$['a']`; undefined when the path does not match. */
export function resolvePath(doc: unknown, path: string): { found: boolean; value: unknown } {
  if (!path.startsWith('$')) return { found: false, value: undefined };
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return { found: false, value: undefined };
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
  }
  let cur: unknown = doc;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined };
    const next = (cur as Record<string | number, unknown>)[step];
    if (next === undefined) return { found: false, value: undefined };
    cur = next;
  }
  return { found: true, value: cur };
}

/** `InputPath`: the part of the event it selects. */
export function applyInputPath(event: unknown, path: string): InputResult {
  const { found, value } = resolvePath(event, path);
  if (!found) return { ok: false, message: `InputPath ${path} does not match the event.` };
  return { ok: true, value };
}

/**
 * `InputTransformer`: replaces `<name>` placeholders in the template. Inside a JSON string a
 * value is inserted as raw text; elsewhere as JSON (strings quoted). The result must be JSON.
 */
export function applyInputTransformer(
  event: unknown,
  transformer: { InputPathsMap?: Record<string, string>; InputTemplate: string },
  reserved: { ruleArn: string; ruleName: string; ingestionTime: string },
): InputResult {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    // A path that matches nothing becomes an empty value, as on AWS (null outside strings).
    const { found, value } = resolvePath(event, path);
    values.set(name, found ? value : null);
  }
  values.set('aws.events.rule-arn', reserved.ruleArn);
  values.set('aws.events.rule-name', reserved.ruleName);
  values.set('aws.events.event.ingestion-time', reserved.ingestionTime);
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', event);

  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (end > i && values.has(name)) {
        const value = values.get(name);
        if (inString) {
          out +=
            typeof value === 'string'
              ? escapeInString(value)
              : escapeInString(JSON.stringify(value));
        } else {
          out += JSON.stringify(value);
        }
        i = end;
        continue;
      }
      if (end > i && /^[A-Za-z0-9_.-]+$/.test(name)) {
        return { ok: false, message: `InputTemplate contains invalid placeholder <${name}>.` };
      }
    }
    if (ch === '"' && !isEscaped(template, i)) inString = !inString;
    out += ch;
  }
  try {
    return { ok: true, value: JSON.parse(out) as unknown };
  } catch {
    // A template that is not JSON is passed as a string (AWS allows plain-text templates).
    return { ok: true, value: out };
  }
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** The text of a JSON string literal without its quotes. */
function escapeInString(raw: string): string {
  return JSON.stringify(raw).slice(1, -1);
}
