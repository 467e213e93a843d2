// A compiled access-log format writes what the format says, variable by variable: each `$context.<name>` replaced by
// its value (`-` when absent or unknown), the text between kept, a newline at the end dropped. The compiled
// renderer (constants folded into the text, the first variables each read at a call site of its own) must write the
// same line as that plain substitution for any format, whatever the number of variables.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { compileFormat } from '../src/features/access-log/format'
import { text, variable, type AccessLogEntry } from '../src/features/access-log/variables'
import type { RequestState } from '../src/state'
import { req } from './helpers'

const NAMES = [
  'requestId',
  'identity.sourceIp',
  'requestTime',
  'httpMethod',
  'resourcePath',
  'status',
  'protocol',
  'responseLength',
  'responseLatency',
  'integration.error',
  'waf.status',
  'authorizer.claims.sub',
  'stage',
  'nope',
  'path',
]

/** The line by plain substitution, as the format is documented. */
function substitute(format: string, entry: AccessLogEntry): string {
  const line = format.replace(/\$context\.([A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*)/g, (_m, name: string) => text(variable(name)?.(entry)))
  return line.endsWith('\n') ? line.slice(0, -1) : line
}

async function someState(): Promise<RequestState> {
  let state: RequestState | undefined
  const gw = createGateway({
    api: {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/pets': {
          get: { 'x-amazon-apigateway-integration': { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } },
        },
      },
    },
    observers: [{ done: (s: RequestState) => void (state = s) }],
  } as unknown as GatewayInput)
  await gw.handle(req('GET', '/pets'))
  if (state === undefined) throw new Error('no request observed')
  return state
}

describe('access log: a compiled format writes the plain substitution', () => {
  it('any text and any number of variables', async () => {
    const state = await someState()
    const piece = fc.oneof(
      fc.string({ maxLength: 5 }).map((s) => s.replace(/\$/g, '')),
      fc.constantFrom(...NAMES).map((n) => `$context.${n}`),
      fc.constantFrom('\n', '"', '.', ' '),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40, size: 'max' }), fc.nat(599), fc.nat(), (pieces, status, length) => {
        const format = pieces.join('')
        const entry: AccessLogEntry = { state, status, responseLength: length, responseLatency: 3 }
        expect(compileFormat(format, 'REST').render(entry)).toBe(substitute(format, entry))
      }),
      { numRuns: 400 },
    )
  })
})
