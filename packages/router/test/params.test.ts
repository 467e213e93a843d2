import { expect, test } from 'vitest'
import fc from 'fast-check'
import { closureFactory, matchFactory } from '../src/params'

const decode = (s: string) => `<${s}>`

test('generated and closure params factories agree, whatever the names', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (names, dec) => {
      const path = '/abcdefghijklmnopqrstuvwxyz'
      const caps = new Int32Array(names.flatMap((_, i) => [1 + i, 3 + i]))
      const route = { method: 'GET', path: '/x', value: 7 }
      const a = matchFactory(route, names, dec)(path, caps, decode)
      const b = closureFactory(route, names, dec)(path, caps, decode)
      expect(a.value).toBe(7)
      expect(a.route).toBe(route)
      expect(b.route).toBe(route)
      expect(a).toEqual(b)
      expect(Object.keys(a.params).sort()).toEqual([...names].sort())
      expect(Object.getPrototypeOf(a.params)).toBe(Object.prototype)
    }),
    { numRuns: 300 },
  )
})

test('a hostile parameter name stays a plain key', () => {
  const names = ['"}; throw 1; //', '__proto__', 'constructor']
  for (const make of [matchFactory, closureFactory]) {
    const { params } = make({ method: 'GET', path: '/', value: 0 }, names, false)('/abcdef', new Int32Array([1, 2, 2, 3, 3, 4]), decode)
    expect(Object.keys(params)).toEqual(names)
    expect(params['"}; throw 1; //']).toBe('a')
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('b')
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
  }
})
