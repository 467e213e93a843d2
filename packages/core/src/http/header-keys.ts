/**
 * Header names as keys of core's header maps. A client's header name arrives as a new string on every request
 * (`Host`, `user-agent`), and a new string used as a property key has to be looked up in V8's string table first:
 * about 45 ns a header on the benchmark host, more than the rest of building the map. Common names map from their
 * usual spellings to one lower-case literal, which V8 keeps interned, so their keys cost a hash lookup instead.
 * The table is fixed: nothing a client sends is added to it.
 */

/** Request headers browsers, SDKs, proxies and load balancers commonly send, lower-case. */
const COMMON = [
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'access-control-request-headers',
  'access-control-request-method',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'authorization',
  'cache-control',
  'connection',
  'content-encoding',
  'content-length',
  'content-md5',
  'content-type',
  'cookie',
  'date',
  'dnt',
  'expect',
  'forwarded',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'keep-alive',
  'origin',
  'pragma',
  'priority',
  'range',
  'referer',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-fetch-dest',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-user',
  'sec-websocket-extensions',
  'sec-websocket-key',
  'sec-websocket-protocol',
  'sec-websocket-version',
  'te',
  'traceparent',
  'tracestate',
  'transfer-encoding',
  'upgrade',
  'upgrade-insecure-requests',
  'user-agent',
  'via',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-user-agent',
  'x-amzn-trace-id',
  'x-api-key',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
  'x-requested-with',
]

/** `user-agent` → `User-Agent`: the spelling HTTP/1.1 clients mostly send. */
function titleCase(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
}

const KEYS = new Map<string, string>()
for (const lower of COMMON) {
  KEYS.set(lower, lower)
  KEYS.set(titleCase(lower), lower)
  KEYS.set(lower.toUpperCase(), lower)
}

/**
 * A header name lower-cased, as core's header maps key it: for a common name the one interned literal, else
 * `name.toLowerCase()`.
 *
 * @example
 * ```ts
 * headerKey('User-Agent') // 'user-agent'
 * headerKey('X-Custom') // 'x-custom'
 * ```
 */
export function headerKey(name: string): string {
  return KEYS.get(name) ?? name.toLowerCase()
}
