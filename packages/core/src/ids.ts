/**
 * The ids of a request the gateway makes itself: its request id (a UUID, `$context.requestId`, Lambda's
 * `awsRequestId`) and its extended request id (`x-amz-apigw-id`). They need to be unique, not secret: a random prefix
 * per process and a counter, so no entropy is read and nothing is hashed per request. Ids derived from an operator's
 * own request ids (the `requestId` option: fixed ids in tests) are hashed from them instead, the same each time.
 */
import { randomBytes, randomInt } from 'node:crypto'

/** A random UUID's first 24 characters (version 4, RFC 9562 variant), fixed per process; the counter fills the rest. */
const UUID_PREFIX = (() => {
  const b = randomBytes(10).toString('hex')
  const variant = '89ab'[randomInt(4)]
  return `${b.slice(0, 8)}-${b.slice(8, 12)}-4${b.slice(12, 15)}-${variant}${b.slice(15, 18)}-`
})()

/**
 * `text` made flat, returned. A string joined with `+` from parts is a rope in V8 (a cons string) until something
 * reads it whole, and Node checks every response header value with a regular expression, which on a rope takes
 * V8's slow path (a runtime call, about 100 ns a value on the benchmark host). Reading one character flattens the
 * rope in place, once, so every later reader of the id (Node's checks, its header block, a log line) gets the
 * flat string.
 *
 * @example
 * ```ts
 * flat(prefix + counter) // the same text, now one flat string
 * ```
 */
export function flat(text: string): string {
  text.charCodeAt(0)
  return text
}

/** Two hex digits of each byte value. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** The largest value of a 48-bit counter (12 hex digits); the next is 0. */
const MAX48 = 0xffffffffffff

/**
 * The next value of a 48-bit counter: a comparison, not `%` (a modulo by a constant past 2^31 is a floating-point
 * remainder, a call into V8's runtime library on every request).
 *
 * @example
 * ```ts
 * next48(0xffffffffffff) // 0
 * ```
 */
export function next48(n: number): number {
  return n === MAX48 ? 0 : n + 1
}

/** A 48-bit counter's first 10 hex digits (all but its last byte). */
export function upperHex(n: number): string {
  return Math.floor(n / 256)
    .toString(16)
    .padStart(10, '0')
}

/**
 * A 48-bit counter as 12 hex digits after `prefix`. The prefix and the first 10 digits are one string, made once per
 * 256 values: a call is an increment and a concatenation.
 *
 * @example
 * ```ts
 * const next = hexCounter('ab-')
 * next() // 'ab-000000000001'
 * ```
 */
export function hexCounter(prefix: string): () => string {
  let n = 0
  let high = `${prefix}0000000000`
  return () => {
    n = next48(n)
    const low = n & 0xff
    if (low === 0) high = prefix + upperHex(n)
    return flat(high + HEX2[low])
  }
}

/**
 * A request id in UUID form: the process's random prefix and a 48-bit counter.
 *
 * @example
 * ```ts
 * nextRequestId() // '3f1c9a2e-5b7d-4e21-9c3a-000000000001'
 * ```
 */
export const nextRequestId: () => string = hexCounter(UUID_PREFIX)

const ID_CODES = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', (c) => c.charCodeAt(0))
const idCodes: number[] = new Array(16).fill(0)

/**
 * A 16-character id in the shape of API Gateway's extended request ids (`JYPTtp91RzOKuyYD`), from the request id.
 *
 * @example
 * ```ts
 * extendedId('req-1') // 16 letters and digits, the same for the same id
 * ```
 */
export function extendedId(requestId: string): string {
  // FNV-1a over the id; every second step gives a character. Codes into a reused array, one string made at the end.
  let h = 0x811c9dc5
  let n = 0
  for (let i = 0; i < requestId.length && n < 16; i++) {
    h = Math.imul(h ^ requestId.charCodeAt(i), 0x01000193)
    if (i % 2 === 1) idCodes[n++] = ID_CODES[(h >>> 7) % 62]!
  }
  while (n < 16) {
    h = Math.imul(h ^ n, 0x01000193)
    idCodes[n++] = ID_CODES[(h >>> 7) % 62]!
  }
  return fromCodes()
}

// The gateway's own ids need no hashing: a random prefix per process and a counter (62^8 ids before it wraps).
const ID_CHARS = String.fromCharCode(...ID_CODES)
let extendedPrefix = ''
for (let i = 0; i < 8; i++) extendedPrefix += ID_CHARS[randomInt(62)]
let extendedCounter = 0
/** 62^8 - 1: the last value of the extended id's eight counter characters. */
const EXTENDED_MAX = 218340105584895
let extendedHigh = extendedPrefix + 'A'.repeat(7)

/**
 * A 16-character extended request id for a request whose id the gateway made itself: the prefix and the counter's
 * first 7 digits are one string, made once per 62 ids.
 *
 * @example
 * ```ts
 * nextExtendedId() // 'Jgx5mdh6AAAAAAAB'
 * ```
 */
export function nextExtendedId(): string {
  extendedCounter = extendedCounter === EXTENDED_MAX ? 0 : extendedCounter + 1
  const low = extendedCounter % 62
  if (low === 0) {
    let high = ''
    for (let n = Math.floor(extendedCounter / 62), i = 0; i < 7; i++, n = Math.floor(n / 62)) high = ID_CHARS[n % 62] + high
    extendedHigh = extendedPrefix + high
  }
  return flat(extendedHigh + ID_CHARS[low])
}

function fromCodes(): string {
  const c = idCodes
  return String.fromCharCode(
    c[0]!,
    c[1]!,
    c[2]!,
    c[3]!,
    c[4]!,
    c[5]!,
    c[6]!,
    c[7]!,
    c[8]!,
    c[9]!,
    c[10]!,
    c[11]!,
    c[12]!,
    c[13]!,
    c[14]!,
    c[15]!,
  )
}
