/**
 * Media types: a Content-Type's `type/subtype`, `binaryMediaTypes` matching, and what HTTP APIs treat as text.
 */

/** `type/subtype` of a Content-Type or Accept entry, lower-case, without parameters. */
export function mediaType(value: string | undefined): string {
  if (!value) return ''
  const semi = value.indexOf(';')
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase()
}

/**
 * A matcher for API Gateway's `binaryMediaTypes` entries (`image/png`, `image/*`, `*\/*`). API Gateway stores
 * `/` as `~1` in some exports; both forms are accepted. A wildcard on the left (`*\/test`) matches nothing, not even
 * itself (recorded: test_aws_proxy_binary_response in localstack's test_apigateway_lambda.py, validated on AWS).
 */
export function mediaTypeMatcher(patterns: readonly string[] | undefined): ((type: string) => boolean) | null {
  if (!patterns || patterns.length === 0) return null
  const exact = new Set<string>()
  const prefixes: string[] = []
  let any = false
  for (const raw of patterns) {
    const p = raw.replace(/~1/g, '/').trim().toLowerCase()
    if (p === '*/*') any = true
    else if (p.startsWith('*/')) continue
    else if (p.endsWith('/*')) prefixes.push(p.slice(0, -1))
    else exact.add(p)
  }
  return (type) => {
    if (type === '') return false
    if (any || exact.has(type)) return true
    for (const prefix of prefixes) if (type.startsWith(prefix)) return true
    return false
  }
}

/** Content types API Gateway's HTTP APIs treat as text (others reach Lambda base64-encoded). */
export function isTextMediaType(type: string): boolean {
  return (
    type === '' ||
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/graphql'
  )
}
