/**
 * awsJson1.1 sends members the model types `timestamp` as epoch seconds (with millisecond
 * fractions); our services keep milliseconds. Each service module names its timestamp members
 * and converts its responses on the way out with this one walker.
 */

/** A converter that copies a value, turning the named millisecond members into epoch seconds. */
export function epochSecondsConverter(
  timestampMembers: Iterable<string>,
): (value: unknown) => unknown {
  const members = new Set(timestampMembers);
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = members.has(key) && typeof member === 'number' ? member / 1000 : convert(member);
    }
    return out;
  };
  return convert;
}
