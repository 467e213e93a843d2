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
})
