/**
 * A small XML writer for query-protocol responses: escaping, and a mapping from plain result
 * objects to elements (member order kept, lists as `<member>` items, absent members omitted).
 */

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name>…</name>` for a scalar, a list (`<member>` items) or a nested structure. */
export function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${members(value as object)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** One element per own member of `value`, in insertion order. */
export function members(value: object): string {
  return Object.entries(value)
    .map(([key, item]) => element(key, item))
    .join('');
}
