/**
 * URI and JSON-pointer helpers for `$ref`/`id` resolution.
 */

/** Base given to schemas that have no absolute id of their own; never fetched. */
export const DEFAULT_BASE = 'gatehouse://schema/root.json'

/** Resolve `ref` against `base` (RFC 3986 through WHATWG URL); null when either is unparsable. */
export function resolveUri(ref: string, base: string): string | null {
  try {
    return new URL(ref, base).href
  } catch {
    return null
  }
}

/** Split off the fragment (without `#`); the fragment is `''` when absent. */
export function splitFragment(uri: string): [string, string] {
  const i = uri.indexOf('#')
  return i < 0 ? [uri, ''] : [uri.slice(0, i), uri.slice(i + 1)]
}

/** Decode a URI fragment holding a JSON pointer into its reference tokens, or null when malformed. */
export function pointerTokens(fragment: string): string[] | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(fragment)
  } catch {
    return null
  }
  if (decoded === '') return []
  if (!decoded.startsWith('/')) return null
  return decoded
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** Escape one JSON-pointer token. */
export function escapeToken(token: string | number): string {
  if (typeof token === 'number') return String(token)
  // Most names need no escaping; two searches are cheaper than two regex replacements.
  if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Build a JSON pointer from tokens. */
export function toPointer(tokens: ReadonlyArray<string | number>): string {
  let out = ''
  for (const t of tokens) out += `/${escapeToken(t)}`
  return out
}

/** Own enumerable property lookup that never reaches the prototype (`__proto__`, `constructor`). */
export function own(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key)
    ? (obj as Record<string, unknown>)[key]
    : undefined
}

/** Walk a JSON pointer's tokens from `node`; undefined when a token is missing. */
export function walkPointer(node: unknown, tokens: string[]): unknown {
  let cur = node
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t)) return undefined
      cur = cur[Number(t)]
    } else if (cur !== null && typeof cur === 'object') {
      cur = own(cur, t)
    } else return undefined
    if (cur === undefined) return undefined
  }
  return cur
}
