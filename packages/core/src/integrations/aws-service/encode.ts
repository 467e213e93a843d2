/**
 * AWS's percent-encoding (RFC 3986 unreserved characters kept, everything else `%XX` in UTF-8), as SigV4 signs a
 * query string and as the query protocol reads a form body: `+` is data, never a space.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

/**
 * One value, percent-encoded as AWS signs it.
 *
 * @example
 * ```ts
 * awsEncode('a b+c') // 'a%20b%2Bc'
 * ```
 */
export function awsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * Name/value pairs as a query string or form body.
 *
 * @example
 * ```ts
 * encodeForm([['Action', 'SendMessage'], ['MessageBody', 'hi there']]) // 'Action=SendMessage&MessageBody=hi%20there'
 * ```
 */
export function encodeForm(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${awsEncode(k)}=${awsEncode(v)}`).join('&')
}
