// passthroughBehavior for every non-proxy integration type: the three examples of AWS's documentation (a template
// for application/json; no templates; a template for application/xml) × request Content-Type (none, which API
// Gateway reads as application/json; application/json; application/xml) × WHEN_NO_MATCH / WHEN_NO_TEMPLATES /
// NEVER, each run against AWS (in-process Lambda), HTTP (a real local backend) and MOCK.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '@gatehousejs/core'
import { header, json, req } from './helpers'
import { doc, FN, op, startBackend, type Backend } from './non-proxy-helpers'

type Outcome = 'template' | 'passthrough' | '415'
type Behavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER'
const BEHAVIORS: Behavior[] = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']

const EXAMPLES: { name: string; templateType: string | null; rows: [string | null, Outcome, Outcome, Outcome][] }[] = [
  {
    name: 'example 1: a template for application/json',
    templateType: 'application/json',
    rows: [
      [null, 'template', 'template', 'template'],
      ['application/json', 'template', 'template', 'template'],
      ['application/xml', 'passthrough', '415', '415'],
    ],
  },
  {
    name: 'example 2: no templates',
    templateType: null,
    rows: [
      [null, 'passthrough', 'passthrough', '415'],
      ['application/json', 'passthrough', 'passthrough', '415'],
      ['application/xml', 'passthrough', 'passthrough', '415'],
    ],
  },
  {
    name: 'example 3: a template for application/xml',
    templateType: 'application/xml',
    rows: [
      [null, 'passthrough', '415', '415'],
      ['application/json', 'passthrough', '415', '415'],
      ['application/xml', 'template', 'template', 'template'],
    ],
  },
]

let backend: Backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(() => backend.close())

/** Each integration type: its integration settings and how to read which payload reached the backend. */
const TYPES: {
  type: string
  integration: (templates: Record<string, string> | undefined) => Record<string, unknown>
  via: (res: Awaited<ReturnType<Gateway['handle']>>) => string
}[] = [
  {
    type: 'AWS',
    integration: (requestTemplates) => ({
      type: 'aws',
      uri: FN('echo'),
      ...(requestTemplates ? { requestTemplates: mapTemplates(requestTemplates, '{"via": "template"}') } : {}),
      responses: { default: { statusCode: '200' } },
    }),
    via: (res) => json(res).via,
  },
  {
    type: 'HTTP',
    integration: (requestTemplates) => ({
      type: 'http',
      httpMethod: 'POST',
      uri: '${stageVariables.backend}/echo',
      ...(requestTemplates ? { requestTemplates: mapTemplates(requestTemplates, '{"via": "template"}') } : {}),
      responses: { default: { statusCode: '200' } },
    }),
    via: (res) => JSON.parse(json(res).body).via,
  },
  {
    type: 'MOCK',
    integration: (requestTemplates) => ({
      type: 'mock',
      ...(requestTemplates ? { requestTemplates: mapTemplates(requestTemplates, '{"statusCode": 201}') } : {}),
      // The template asks for 201, the passed-through body for 202.
      responses: { '201': { statusCode: '201' }, '202': { statusCode: '202' } },
    }),
    via: (res) => (res.statusCode === 201 ? 'template' : res.statusCode === 202 ? 'body' : `status ${res.statusCode}`),
  },
]

function mapTemplates(types: Record<string, string>, source: string): Record<string, string> {
  return Object.fromEntries(Object.keys(types).map((t) => [t, source]))
}

const BODY = { via: 'body', statusCode: 202 }

for (const t of TYPES) {
  describe(`${t.type}: passthroughBehavior`, () => {
    for (const example of EXAMPLES) {
      for (const [contentType, ...outcomes] of example.rows) {
        BEHAVIORS.forEach((behavior, i) => {
          const expected = outcomes[i]!
          it(`${example.name}; Content-Type ${contentType ?? 'none'}; ${behavior} → ${expected}`, async () => {
            const templates = example.templateType ? { [example.templateType]: '' } : undefined
            const gw = createGateway({
              api: doc({ '/x': { post: op({ ...t.integration(templates), passthroughBehavior: behavior.toLowerCase() }) } }),
              functions: { echo: async (event: unknown) => event },
              stage: { stageName: 'prod', variables: { backend: backend.url } },
            })
            const res = await gw.handle(
              req('POST', '/x', { body: JSON.stringify(BODY), headers: contentType ? { 'content-type': contentType } : {} }),
            )
            if (expected === '415') {
              expect(res.statusCode).toBe(415)
              expect(json(res)).toEqual({ message: 'Unsupported Media Type' })
              expect(header(res, 'x-amzn-ErrorType')).toBe('UnsupportedMediaTypeException')
            } else {
              expect(res.statusCode).toBeLessThan(300)
              expect(t.via(res)).toBe(expected === 'template' ? 'template' : 'body')
            }
          })
        })
      }
    }
  })
}
