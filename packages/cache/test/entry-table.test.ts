import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EntryTable, SEALED, UNSEALED } from '../src/entry-table'
import type { CachedResponse } from '@gatehousejs/cache'

const value = (body: string): CachedResponse => ({ statusCode: 200, headers: {}, body })

/** Slots from most to least recently used, walking `next` from the sentinel, checking `prev` on the way. */
function order(table: EntryTable): number[] {
  const slots: number[] = []
  let before = 0
  for (let slot = table.next[0]!; slot !== 0; slot = table.next[slot]!) {
    if (table.prev[slot] !== before) throw new Error(`prev[${slot}] is ${table.prev[slot]}, expected ${before}`)
    slots.push(slot)
    before = slot
    if (slots.length > 10_000) throw new Error('cycle')
  }
  if (table.prev[0] !== before) throw new Error(`prev[0] is ${table.prev[0]}, expected ${before}`)
  return slots
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), body: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('touch' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('setValue' as const), pick: fc.nat(), body: fc.string({ maxLength: 3 }) }),
  fc.constant({ kind: 'clear' as const }),
)

describe('EntryTable', () => {
  it('property: keeps the recency list, the columns and the free slots consistent under any operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120, size: 'max' }), fc.integer({ min: 0, max: 100 }), (ops, prefill) => {
        const table = new EntryTable()
        // The reference: live slots from most to least recently used, with what each holds.
        let model: { slot: number; key: string; body: string; size: number; expires: number }[] = []
        let n = 0
        const add = (body: string) => {
          const key = `k${n++}`
          const slot = table.add(key, value(body), body.length, n)
          expect(slot).toBeGreaterThan(0)
          expect(model.some((e) => e.slot === slot)).toBe(false)
          model.unshift({ slot, key, body, size: body.length, expires: n })
        }
        // Enough entries to make the table grow past its first capacity.
        for (let i = 0; i < prefill; i++) add('x')
        for (const o of ops) {
          const at = (pick: number) => model[pick % model.length]!
          switch (o.kind) {
            case 'add':
              add(o.body)
              break
            case 'remove':
              if (model.length === 0) break
              {
                const e = at(o.pick)
                table.remove(e.slot)
                model = model.filter((m) => m !== e)
                expect(table.values[e.slot]).toBeUndefined()
                expect(table.keys[e.slot]).toBe('')
              }
              break
            case 'touch':
              if (model.length === 0) break
              {
                const e = at(o.pick)
                table.touch(e.slot)
                model = [e, ...model.filter((m) => m !== e)]
              }
              break
            case 'setValue':
              if (model.length === 0) break
              {
                const e = at(o.pick)
                table.states[e.slot] = SEALED
                table.setValue(e.slot, value(o.body), o.body.length)
                expect(table.states[e.slot]).toBe(UNSEALED)
                e.body = o.body
                e.size = o.body.length
              }
              break
            case 'clear':
              table.clear()
              model = []
              break
          }
          expect(order(table)).toEqual(model.map((e) => e.slot))
          expect(table.last).toBe(model.length === 0 ? 0 : model[model.length - 1]!.slot)
          const columns = (e: (typeof model)[number]) => [e.key, e.body, e.size, e.expires]
          expect(model.map((e) => [table.keys[e.slot], table.values[e.slot]!.body, table.sizes[e.slot], table.expires[e.slot]])).toEqual(
            model.map(columns),
          )
        }
      }),
      { numRuns: 100 },
    )
  })

  it('reuses a released slot before growing', () => {
    const table = new EntryTable()
    const a = table.add('a', value('1'), 1, 0)
    const b = table.add('b', value('2'), 1, 0)
    table.remove(a)
    expect(table.add('c', value('3'), 1, 0)).toBe(a)
    expect(table.add('d', value('4'), 1, 0)).toBe(b + 1)
  })
})
