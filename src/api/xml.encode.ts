/**
 * A small XML writer for query and ec2 responses: escaping, and a mapping from plain result
 * objects to elements (member order kept, lists as `<member>` items — `<item>` in the ec2
 * dialect — and absent members omitted).
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

/**
 * `<name>…</name>` for a scalar, a list (one `<itemName>` per entry) or a nested structure.
 * @param itemName element of list entries: `member` (query) or `item` (ec2)
 */
export function element(name: string, value: unknown, itemName = 'member'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const items = value.map((item) => element(itemName, item, itemName)).join('');
    return `<${name}>${items}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${members(value, itemName)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** One element per own member of `value`, in insertion order. */
export function members(value: object, itemName = 'member'): string {
  return Object.entries(value)
    .map(([key, item]) => element(key, item, itemName))
    .join('');
}
