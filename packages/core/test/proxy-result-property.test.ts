// A Lambda result's headers, merged case-insensitively under each name's first spelling, whatever the number of
// names and whatever they are called (`__proto__`, `constructor`).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapProxyResultV1, mapProxyResultV2, ResultHeaderNames } from '../src/integrations/aws-proxy/result'

const BASES = ['a', 'x-id', '__proto__', 'constructor', 'toString', 'content-type', 'set-cookie', 'x-b']
const spelled = fc
  .tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: 40 }), fc.array(fc.boolean(), { maxLength: 12 }))
  .map(([base, n, ups]) => {
    const name = n > 0 && base.startsWith('x-') ? `${base}${n}` : base
    return [...name].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join('')
  })
const pairs = fc.array(fc.tuple(spelled, fc.string({ unit: fc.constantFrom('v', 'w', '1', ' ') })), { maxLength: 80, size: 'max' })

/** What the headers must be: values in order, under the first spelling, one value as a string. */
function expected(list: [string, string][]): [string, string | string[]][] {
  const byLower = new Map<string, { shown: string; values: string[] }>()
  for (const [name, value] of list) {
    const known = byLower.get(name.toLowerCase())
    if (known) known.values.push(value)
    else byLower.set(name.toLowerCase(), { shown: name, values: [value] })
  }
  return [...byLower.values()].map(({ shown, values }) => [shown, values.length === 1 ? values[0]! : values])
}

const asHeaders = (list: [string, string][]) => {
  // An object holds a spelling once: of a name given twice in the very same spelling, the last value is kept.
  const last = new Map(list.map(([n], i) => [n, i]))
  const kept = list.filter(([n], i) => last.get(n) === i)
  const headers: Record<string, string> = {}
  for (const [name, value] of kept) Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true })
  return { headers, kept }
}

describe('Lambda result headers', () => {
  it('payload 2.0: merged under the first spelling, in order (property)', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const { headers, kept } = asHeaders(list)
        const out = mapProxyResultV2({ statusCode: 200, headers, body: '' })
        if (out === null || typeof out === 'symbol') throw new Error('refused')
        expect(Object.entries(out.headers)).toEqual(expected(kept))
      }),
      { numRuns: 300 },
    )
  })

  it('payload 1.0: multiValueHeaders, then headers, merged; a type added when none is given (property)', () => {
    fc.assert(
      fc.property(pairs, pairs, (multi, single) => {
        const multiValueHeaders: Record<string, string[]> = {}
        const order: [string, string][] = []
        for (const [name, value] of multi) {
          if (!Object.hasOwn(multiValueHeaders, name)) Object.defineProperty(multiValueHeaders, name, { value: [], enumerable: true })
          multiValueHeaders[name]!.push(value)
        }
        for (const name of Object.keys(multiValueHeaders)) for (const v of multiValueHeaders[name]!) order.push([name, v])
        const { headers, kept } = asHeaders(single)
        const out = mapProxyResultV1({ statusCode: 200, multiValueHeaders, headers, body: '' }, false)
        if (out === null || typeof out === 'symbol') throw new Error('refused')
        const all = [...order, ...kept]
        const want = expected(all.some(([n]) => n.toLowerCase() === 'content-type') ? all : [...all, ['Content-Type', 'application/json']])
        expect(Object.entries(out.headers)).toEqual(want)
      }),
      { numRuns: 300 },
    )
  })

  it("each name's fate is the same whether the cache of names holds it, has never seen it, or was emptied (property)", () => {
    const rename = (name: string) =>
      name.toLowerCase() === 'date' ? `x-amzn-Remapped-${name}` : name.toLowerCase() === 'x-gone' ? undefined : name
    const fateOf = (name: string) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ? [name.toLowerCase(), rename(name) ?? ''] : null)
    // Long names (past what the cache keeps) are checked each time, with the same outcome.
    const long = fc.constantFrom(`x-${'a'.repeat(62)}`, `X-${'B'.repeat(63)}`, `Date${'-x'.repeat(40)}`, `bad ${'n'.repeat(70)}`)
    const name = fc.oneof(spelled, long, fc.constantFrom('Date', 'date', 'X-Gone', 'bad name', '', 'é'), fc.string({ maxLength: 6 }))
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), fc.integer({ min: 0, max: 1200 }), (names, filler) => {
        const cache = new ResultHeaderNames(rename)
        // Hundreds of distinct names first (a function echoing a client's headers): the cache starts again, bounded.
        for (let i = 0; i < filler; i++) cache.of(`x-filler-${i}`)
        for (const n of [...names, ...names]) expect(cache.of(n)).toEqual(fateOf(n))
      }),
      { numRuns: 60 },
    )
  })
})
