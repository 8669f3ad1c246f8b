/**
 * How deeply a JSON text nests, read before `JSON.parse` sees it. A body of a few megabytes can
 * nest millions of levels; parsing such a body blocked the event loop for seconds and took
 * hundreds of megabytes, though no AWS shape nests more than a handful of levels. One pass over
 * the characters, stopping at the first level past the limit, costs next to nothing.
 */

/** Deepest nesting accepted in a request body; our deepest model shapes use fewer than 10. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `limit` arrays or objects inside each other. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // a backslash escapes the next character
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
