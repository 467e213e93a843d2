/** Hostile client names for the adapter suite: Object.prototype's own names and random ones, as HTTP admits them. */
import fc from 'fast-check'

/** Every own property name of Object.prototype, and `__proto__`: the names that broke maps built from input. */
const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__']
const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
/** Names core and the suite read for their own purposes stay out of the generated headers. */
const RESERVED =
  /^(host|cookie|content-length|content-type|transfer-encoding|connection|expect|upgrade|te|trailer|keep-alive|x-forwarded-.*|x-amzn?-.*|accept-encoding)$/i

/** A request whose query, header and cookie names are Object.prototype's or random, over what HTTP admits. */
export const hostileRequest = fc.record({
  query: fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ minLength: 1, maxLength: 8 })),
      fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ maxLength: 8 })),
    ),
    {
      minLength: 1,
      maxLength: 5,
    },
  ),
  headers: fc
    .uniqueArray(
      fc.tuple(
        fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 10 })),
        // Field values as HTTP admits them: visible ASCII, inner spaces and tabs, obs-text (Latin-1).
        fc
          .string({ unit: fc.constantFrom(...'abcXYZ09 \t-_=:./"{}[]éÿ\x80'), maxLength: 12 })
          .map((v) => v.replace(/^[ \t]+|[ \t]+$/g, '')),
      ),
      { maxLength: 4, selector: ([n]) => n.toLowerCase() },
    )
    .map((hs) => hs.filter(([n]) => !RESERVED.test(n))),
  cookies: fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ unit: fc.constantFrom(...'abcXYZ_09'), minLength: 1, maxLength: 6 })),
      fc.string({ unit: fc.constantFrom(...'abc019'), maxLength: 6 }),
    ),
    {
      maxLength: 3,
    },
  ),
})

/** A copy of `o` with lower-case keys, written as own data properties whatever the name (`__proto__` too). */
export function lowerKeys(o: Record<string, unknown> | null): Record<string, any> {
  const out: Record<string, any> = {}
  for (const [k, v] of Object.entries(o ?? {}))
    Object.defineProperty(out, k.toLowerCase(), { value: v, enumerable: true, writable: true, configurable: true })
  return out
}
