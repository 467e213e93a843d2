// In-process Lambda invocations waiting on their timeout: every one settles exactly once, with its own answer or
// with the timeout, whatever the order in which the others answer (a property of the list of pending invocations).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { invoke, type InvokeOutcome, type ResolvedFunction } from '../src/integrations/lambda'

describe('pending invocations', () => {
  it('each settles once: answered ones with their value, the rest by the timeout (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ answers: fc.boolean(), sync: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (plans, order) => {
          const resolvers: ((v: unknown) => void)[] = []
          const outcomes = plans.map((plan, i) => {
            const fn: ResolvedFunction = {
              name: `f${i}`,
              arn: `arn:aws:lambda:us-east-1:123456789012:function:f${i}`,
              handler: () => (plan.sync && plan.answers ? { i } : new Promise((resolve) => resolvers.push(() => resolve({ i })))),
            }
            return { plan, i, result: invoke(fn, {}, `r${i}`, plan.answers ? 60_000 : 30) }
          })
          // Answer the asynchronous ones that answer, in an order the property picks.
          const waiting = outcomes.filter((o) => o.plan.answers && !o.plan.sync)
          const picked = [...waiting.keys()].sort((a, b) => (order[a] ?? 0) - (order[b] ?? 0))
          const byPlan = outcomes.filter((o) => !(o.plan.sync && o.plan.answers))
          for (const k of picked) resolvers[byPlan.indexOf(waiting[k]!)]!(undefined)
          const settled: InvokeOutcome[] = await Promise.all(outcomes.map((o) => o.result))
          settled.forEach((out, k) => {
            if (plans[k]!.answers) expect(out).toEqual({ ok: true, value: { i: k } })
            else expect(out).toEqual({ ok: false, timeout: true })
          })
        },
      ),
      { numRuns: 40 },
    )
  })

  it("keeps the list out of the handler's context", async () => {
    let keys: string[] = []
    const fn: ResolvedFunction = {
      name: 'f',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      handler: async (_event, context) => {
        keys = Object.keys(context)
        return {}
      },
    }
    await invoke(fn, {}, 'r', 1000)
    expect(keys.filter((k) => /prev|next|first/i.test(k))).toEqual([])
  })

  describe('with a continuation', () => {
    const fn = (handler: ResolvedFunction['handler']): ResolvedFunction => ({
      name: 'f',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      handler,
    })
    it('resolves to what it makes of the outcome: answered, failed or timed out', async () => {
      const seen: InvokeOutcome[] = []
      const keep = (o: InvokeOutcome) => (seen.push(o), seen.length)
      expect(
        await invoke(
          fn(async () => 7),
          {},
          'r1',
          1000,
          keep,
        ),
      ).toBe(1)
      expect(
        await invoke(
          fn(async () => Promise.reject(new Error('no'))),
          {},
          'r2',
          1000,
          keep,
        ),
      ).toBe(2)
      expect(
        await invoke(
          fn(() => new Promise(() => {})),
          {},
          'r3',
          20,
          keep,
        ),
      ).toBe(3)
      expect(seen[0]).toEqual({ ok: true, value: 7 })
      expect(seen[1]).toMatchObject({ ok: false, timeout: false, error: new Error('no') })
      expect(seen[2]).toEqual({ ok: false, timeout: true })
    })
    it('rejects with what the continuation throws, for a callback answered at once too', async () => {
      const boom = new Error('mapping failed')
      const fail = () => {
        throw boom
      }
      await expect(
        invoke(
          fn(async () => 1),
          {},
          'r4',
          1000,
          fail,
        ),
      ).rejects.toBe(boom)
      const sync = fn((_e, _c, callback) => callback(null, 1))
      await expect(invoke(sync, {}, 'r5', 1000, fail)).rejects.toBe(boom)
    })
  })
})
