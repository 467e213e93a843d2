/**
 * IAM wildcards: `*` matches any run of characters (including none, and across `:` and `/`), `?` exactly one.
 */

/** A matcher for one pattern; exact strings skip the regular expression. */
export function compileWildcard(pattern: string, ignoreCase = false): (value: string) => boolean {
  if (pattern === '*') return () => true
  if (!/[*?]/.test(pattern)) {
    if (!ignoreCase) return (v) => v === pattern
    const lower = pattern.toLowerCase()
    return (v) => v.toLowerCase() === lower
  }
  let source = '^'
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else source += ch.replace(/[\\^$.|+()[\]{}/]/g, '\\$&')
  }
  const re = new RegExp(`${source}$`, ignoreCase ? 'iu' : 'u')
  return (v) => re.test(v)
}
