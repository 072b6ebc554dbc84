/**
 * Stable ids for things the analysis finds (an opportunity is the same one tomorrow): a 53-bit
 * hash of the text (cyrb53, public domain), in base 36. Not for security.
 */
export function stableId(prefix: string, text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return `${prefix}_${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`
}
