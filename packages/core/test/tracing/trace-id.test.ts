// Trace headers: X-Amzn-Trace-Id read, completed or made (`Root=1-{8 hex epoch seconds}-{24 hex}`, `Parent`,
// `Sampled`), `$context.xrayTraceId`, and W3C traceparent / tracestate checked before they are passed along.
// X-Ray header: https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
// $context.xrayTraceId: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
// Recorded behaviour: localstack tests/aws/services/apigateway/test_apigateway_common.py::test_invocation_trace_id
// (AWS, 07-08-2024; the client's full trace kept verbatim, a Root alone completed with a Parent).
// W3C Trace Context: https://www.w3.org/TR/trace-context/ (traceparent version 00, all-zero ids invalid, version ff
// invalid, later versions read as 00; tracestate list members key=value, at most 32, discarded when invalid).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { traceHeader, traceparent, tracestate, xrayTraceId } from '../../src/http/trace-id'

const FULL = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1'
const ROOT = 'Root=1-3152b799-8954dae64eda91bc9a23a7e8'
const SHAPE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01?]$/
const T = Date.UTC(2024, 0, 1, 0, 0, 0)

describe('X-Amzn-Trace-Id', () => {
  it('keeps a client trace verbatim and completes a Root alone', () => {
    expect(traceHeader(FULL, T, 'r1')).toBe(FULL)
    expect(traceHeader(`${FULL};Lineage=a87bd80c:1|68fd508a:5`, T, 'r1')).toBe(`${FULL};Lineage=a87bd80c:1|68fd508a:5`)
    // A field that does not parse is not passed on: the header is rebuilt from the parts that do.
    expect(traceHeader(`${FULL};Note=a b`, T, 'r1')).toBe(FULL)
    expect(traceHeader(`Self=1-67891234-12456789abcdef012345678;${ROOT}`, T, 'r1')).toMatch(
      /^Self=1-67891234-12456789abcdef012345678;Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=[0-9a-f]{16};Sampled=0$/,
    )
    const completed = traceHeader(ROOT, T, 'r1')
    expect(completed).toMatch(/^Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=[0-9a-f]{16};Sampled=0$/)
  })

  it('makes a new trace from the request time and id: the same for the same request, another for another', () => {
    const a = traceHeader(undefined, T, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef')
    expect(a).toMatch(SHAPE)
    expect(a.startsWith(`Root=1-${(T / 1000).toString(16)}-`)).toBe(true)
    expect(traceHeader(undefined, T, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef')).toBe(a)
    expect(traceHeader(undefined, T, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeee')).not.toBe(a)
    // Without a request id: unique per call.
    expect(traceHeader(undefined, T)).not.toBe(traceHeader(undefined, T))
    // An operator's request id of any shape is hashed into the same shape.
    for (const id of ['req-1', 'C6AF9AC6-7B61-11E6-9A41-93E8DEADBEEF', '']) expect(traceHeader(undefined, T, id)).toMatch(SHAPE)
    expect(traceHeader(undefined, T, 'req-1')).not.toBe(traceHeader(undefined, T, 'req-2'))
  })

  it("traces for the gateway's own ids: unique across the parts made once per 256 and once a second, each with its second", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) {
      // The second changes every 700 traces, in the middle of a 256-trace run.
      const at = T + Math.floor(i / 700) * 1000
      const trace = traceHeader(undefined, at)
      if (!SHAPE.test(trace) || !trace.startsWith(`Root=1-${(at / 1000).toString(16)}-`))
        expect(trace).toMatch(`Root=1-${(at / 1000).toString(16)}-`)
      const [, random, parent] = /Root=1-[0-9a-f]{8}-([0-9a-f]{24});Parent=([0-9a-f]{16})/.exec(trace)!
      // One counter value serves both ids: the trace's last 12 digits are its first segment's.
      if (random!.slice(12) !== parent!.slice(4)) expect(parent!.slice(4)).toBe(random!.slice(12))
      seen.add(random!)
    }
    expect(seen.size).toBe(3000)
  })

  it('distinct UUID request ids give distinct traces of the right shape (property)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const ta = traceHeader(undefined, T, a)
        expect(ta).toMatch(SHAPE)
        if (a !== b) expect(ta).not.toBe(traceHeader(undefined, T, b))
      }),
    )
  })

  it("a gateway's own request ids: one trace and one extended id per request, each request's its own", async () => {
    const lambdaTraces: string[] = []
    const gw = createGateway({
      api: { resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', uri: 'fn' } } } } },
      functions: {
        fn: async (event: { headers: Record<string, string> }) => {
          lambdaTraces.push(event.headers['X-Amzn-Trace-Id']!)
          return { statusCode: 200, body: '' }
        },
      },
    })
    const seen = { traces: new Set<string>(), ids: new Set<string>() }
    for (let i = 0; i < 500; i++) {
      const res = await gw.handle({ method: 'GET', path: '/x', headers: {} })
      const trace = res.headers['X-Amzn-Trace-Id'] as string
      const id = res.headers['x-amz-apigw-id'] as string
      expect(trace).toMatch(SHAPE)
      expect(id).toMatch(/^[A-Za-z0-9]{16}$/)
      expect(lambdaTraces[i]).toBe(trace)
      seen.traces.add(trace)
      seen.ids.add(id)
    }
    expect([seen.traces.size, seen.ids.size]).toEqual([500, 500])
  })

  it('refuses hostile values: not a Root, too long, header injection, a second Root', () => {
    for (const bad of [
      'Root=nonsense',
      'Root=1-3152b799-8954dae64eda91bc9a23a7e',
      `${ROOT};Parent=${'a'.repeat(300)}`,
      'Root=1-3152B799-8954DAE64EDA91BC9A23A7E8',
    ]) {
      const out = traceHeader(bad, T, 'r')
      expect(out, bad).toMatch(SHAPE)
      expect(out.includes('3152b799-8954dae64eda91bc9a23a7e8'), bad).toBe(false)
    }
    // The Root is good, the rest is not: kept Root, junk dropped.
    expect(traceHeader(`${ROOT};Parent=7fa8c0f79203be72\r\nX-Evil: 1`, T, 'r')).toMatch(
      /^Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=[0-9a-f]{16};Sampled=0$/,
    )
    expect(traceHeader(`${ROOT};Root=1-00000000-000000000000000000000000`, T, 'r')).toMatch(SHAPE)
  })

  it('never passes on anything outside the header grammar, whatever the client sends (property)', () => {
    const safe = /^[A-Za-z0-9_.:+/@=;|-]*$/
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.constantFrom(FULL, ROOT).chain((r) => fc.string().map((s) => `${r};${s}`)),
        ),
        (client) => {
          const out = traceHeader(client, T, 'r')
          expect(out).toMatch(safe)
          expect(out.length).toBeLessThanOrEqual(300)
          expect(xrayTraceId(out)).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/)
        },
      ),
    )
  })

  it('$context.xrayTraceId is the Root without its name', () => {
    expect(xrayTraceId(FULL)).toBe('1-3152b799-8954dae64eda91bc9a23a7e8')
    expect(xrayTraceId('Root=nonsense')).toBeUndefined()
  })
})

describe('W3C traceparent and tracestate', () => {
  const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
  it('keeps a valid traceparent and refuses the invalid ones', () => {
    expect(traceparent(TP)).toBe(TP)
    expect(traceparent(`cc${TP.slice(2)}-what-comes-later`)).toBe(TP)
    for (const bad of [
      `${TP}-extra`,
      `ff${TP.slice(2)}`,
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01',
      `${TP}\r\nx: 1`,
    ])
      expect(traceparent(bad), bad).toBeUndefined()
  })

  it('keeps a valid tracestate, at most 32 members and 512 characters, and discards an invalid one', () => {
    expect(tracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')
    expect(tracestate('tenant@vendor=x')).toBe('tenant@vendor=x')
    expect(tracestate('Bad=1')).toBeUndefined()
    expect(tracestate('a=b,c')).toBeUndefined()
    expect(tracestate('a=b=c\n')).toBeUndefined()
    expect(tracestate(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toBeUndefined()
    const long = Array.from({ length: 20 }, (_, i) => `k${i}=${'v'.repeat(40)}`).join(',')
    const kept = tracestate(long)!
    expect(kept.length).toBeLessThanOrEqual(512)
    expect(long.startsWith(kept)).toBe(true)
    expect(kept.split(',').length).toBe(11)
  })
})
