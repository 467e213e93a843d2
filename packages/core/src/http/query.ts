/**
 * Query strings: percent-decoding that never rejects, and the ordered name/value pairs API Gateway reads.
 */

/** Percent-decode, leaving malformed escapes as they are (API Gateway never rejects a request for them). */
export function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s
  try {
    return decodeURIComponent(s)
  } catch {
    return s.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
  }
}

/** Query string → ordered `[name, value]` pairs, decoded as forms are (`+` is a space). */
export function parseQuery(query: string | undefined): [string, string][] {
  const pairs: [string, string][] = []
  if (!query) return pairs
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    const rawValue = eq === -1 ? '' : part.slice(eq + 1)
    pairs.push([safeDecode(rawName.replace(/\+/g, ' ')), safeDecode(rawValue.replace(/\+/g, ' '))])
  }
  return pairs
}
