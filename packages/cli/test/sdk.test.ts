/**
 * `gatehouse sdk`: a fetch-based TypeScript / JavaScript client, as API Gateway's GetSdk generates one for
 * JavaScript, beyond AWS with types from the models (JSON Schema draft 4 → TypeScript). Generated for the
 * example petstore and a real document (request-validation-sample.json, from the API Gateway developer guide —
 * read in place from test/real-definitions/fixtures, see its README for source and license), compiled with the
 * TypeScript compiler (strict, noEmit), and called against APIs served on loopback: path, query and header
 * parameters, a JSON body, the `x-api-key` option and SigV4 signing with @gatehousejs/sigv4's `signRequest`.
 * AWS documentation relied on:
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-generate-sdk-javascript.html
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html (models: JSON Schema draft 4)
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html (`x-api-key`)
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html (IAM: SigV4-signed requests)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createGateway, type ApiDefinition, type Gateway, type LambdaHandler } from '@gatehousejs/core'
import { DEFAULT_BODY_LIMIT, serveNode } from '@gatehousejs/core/node'
import { signRequest } from '@gatehousejs/sigv4'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSdk } from '../src/sdk/generate'
import { schemaToTs } from '../src/sdk/schema'
import { sdkCommand } from '../src/sdk/command'
import { serve, type RunningServer } from '../src/serve'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PETSTORE = join(ROOT, 'examples/petstore/openapi.json')
const REAL = join(ROOT, 'test/real-definitions/fixtures/request-validation-sample.json')
const out = mkdtempSync(join(tmpdir(), 'gatehouse-sdk-'))

/** Compile files with the TypeScript compiler API, strict, no emit; the diagnostics as text. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: false,
    exactOptionalPropertyTypes: true,
  })
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
}

/** Import a generated TypeScript file: transpiled (types stripped) to an ES module next to it. */
async function load<T>(file: string): Promise<T> {
  const js = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText
  const target = file.replace(/\.ts$/, '.transpiled.mjs')
  writeFileSync(target, js)
  return (await import(pathToFileURL(target).href)) as T
}

type Response = { status: number; ok: boolean; headers: Headers; body: unknown }
type Client = Record<string, (input?: unknown, init?: unknown) => Promise<Response>>

let petstore: RunningServer

beforeAll(async () => {
  petstore = await serve({
    file: PETSTORE,
    functions: join(ROOT, 'examples/petstore/handlers.ts'),
    port: 0,
    stageVariables: { inventoryUrl: 'http://127.0.0.1:9' },
    out: () => {},
    err: () => {},
  })
})

afterAll(async () => {
  await petstore?.close()
})

describe('JSON Schema draft 4 → TypeScript', () => {
  const models = new Set(['Pet'])
  it.each([
    [{ type: 'string', enum: ['dog', 'cat'] }, '"dog" | "cat"'],
    [{ type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet' } }, 'Pet[]'],
    [{ type: 'array', items: { $ref: '#/definitions/Unknown' } }, 'unknown[]'],
    [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'string | number'],
    [{ anyOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'null' }] }, 'Pet | null'],
    [{ allOf: [{ $ref: '#/definitions/Pet' }, { type: 'object', properties: { age: { type: 'integer' } } }] }, 'Pet & { age?: number }'],
    [{ type: 'string', nullable: true }, 'string | null'],
    [{ type: ['string', 'null'] }, 'string | null'],
    [{ type: 'object', additionalProperties: { type: 'number' } }, '{ [key: string]: number }'],
    [{ type: 'object', required: ['a-b'], properties: { 'a-b': { type: 'boolean' } }, additionalProperties: false }, '{ "a-b": boolean }'],
    [{ type: 'object' }, '{ [key: string]: unknown }'],
  ])('%j → %s', (schema, expected) => {
    expect(schemaToTs(schema, models)).toBe(expected)
  })
})

describe('gatehouse sdk on the petstore example and a real document', () => {
  it('generates TypeScript that compiles strictly, and JavaScript', async () => {
    const [petTs] = await sdkCommand({ file: PETSTORE, lang: 'ts', out: join(out, 'petstore') })
    const [realTs] = await sdkCommand({ file: REAL, lang: 'ts', out: join(out, 'real') })
    const [petJs] = await sdkCommand({ file: PETSTORE, lang: 'js', out: join(out, 'petstore-js') })
    expect(petTs).toMatch(/client\.ts$/)
    expect(petJs).toMatch(/client\.js$/)
    const real = readFileSync(realTs as string, 'utf8')
    // The document's models became types, and the body of its POST method is typed by its model.
    expect(real).toContain('export type RequestBodyModel = { id?: number; type: "dog" | "cat" | "fish"; name: string; price: number }')
    expect(real).toContain('postValidation(input: { headers: { h1: string }; body: RequestBodyModel }')
    // A typed use of the real document's client: the compiler checks the body against the model.
    const use = join(out, 'real', 'use.ts')
    writeFileSync(
      use,
      [
        "import { createClient } from './client.js'",
        "const client = createClient({ baseUrl: 'http://127.0.0.1:1/prod', apiKey: 'k' })",
        "void client.postValidation({ headers: { h1: 'x' }, body: { type: 'dog', name: 'Rex', price: 30 } })",
        "void client.getValidation({ query: { q1: 'a' } })",
        '// @ts-expect-error: "bird" is not in the model\'s enum',
        "void client.postValidation({ headers: { h1: 'x' }, body: { type: 'bird', name: 'Rex', price: 30 } })",
        '// @ts-expect-error: the required query parameter is missing',
        'void client.getValidation({})',
        '',
      ].join('\n'),
    )
    expect(compile([petTs as string, realTs as string, use])).toEqual([])
    // The JavaScript client parses as an ES module (no types left in it).
    const js = readFileSync(petJs as string, 'utf8')
    expect(js).not.toMatch(/: ClientOptions|interface /)
    const diagnostics = ts.transpileModule(js, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } }).diagnostics
    expect(diagnostics ?? []).toEqual([])
  })

  it('calls the served petstore: query, path parameters and a JSON body', async () => {
    const file = join(out, 'petstore', 'client.ts')
    const { createClient } = await load<{ createClient: (o: unknown) => Client }>(file)
    const client = createClient({ baseUrl: petstore.url })
    const names = Object.keys(client).sort()
    expect(names).toEqual(['anyInventoryProxy', 'getHealth', 'getPets', 'getPetsPetId', 'getPetsPetIdPhoto', 'optionsPets', 'postPets'])
    const dogs = await client.getPets?.({ query: { type: 'dog' } })
    expect(dogs?.status).toBe(200)
    expect(dogs?.body).toEqual([{ id: '1', name: 'Rex', type: 'dog' }])
    const one = await client.getPetsPetId?.({ path: { petId: 2 } })
    expect(one?.body).toEqual({ id: '2', name: 'Tom', type: 'cat' })
    const created = await client.postPets?.({ body: { name: 'Kit', type: 'cat' } })
    expect(created?.status).toBe(201)
    expect(created?.body).toMatchObject({ name: 'Kit', type: 'cat' })
    const missing = await client.getPetsPetId?.({ path: { petId: 'a/b' } })
    // The path parameter is percent-encoded: one segment, no such pet.
    expect(missing?.status).toBe(404)
    expect(missing?.ok).toBe(false)
    // The JavaScript client does the same.
    const js = (await import(pathToFileURL(join(out, 'petstore-js', 'client.js')).href)) as { createClient: (o: unknown) => Client }
    const health = await js.createClient({ baseUrl: petstore.url }).getHealth?.()
    expect(health?.body).toEqual({ status: 'ok', stage: 'prod' })
  })
})

describe('API keys and SigV4 signing', () => {
  const API_KEY = 'k'.repeat(24)
  const credentials = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
  let server: Server
  let url: string
  const echo: LambdaHandler = async (event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user: event.requestContext.identity.userArn ?? null,
      trace: event.headers?.['X-Trace'] ?? event.headers?.['x-trace'] ?? null,
      body: event.body,
    }),
  })
  const api: ApiDefinition = {
    name: 'secured',
    models: { Note: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } },
    resources: {
      '/keyed': {
        GET: {
          operationName: 'keyed',
          apiKeyRequired: true,
          requestParameters: { 'method.request.header.X-Trace': true },
          integration: { type: 'AWS_PROXY', uri: 'echo' },
        },
      },
      '/signed': {
        POST: {
          operationName: 'signed',
          authorizationType: 'AWS_IAM',
          requestModels: { 'application/json': 'Note' },
          integration: { type: 'AWS_PROXY', uri: 'echo' },
        },
      },
    },
  }
  let gateway: Gateway

  beforeAll(async () => {
    gateway = createGateway({
      api,
      stage: 'prod',
      functions: { echo },
      apiKeys: [{ id: 'key1', value: API_KEY }],
      usagePlans: [{ id: 'plan', apiStages: [{ stage: 'prod' }], keys: ['key1'] }],
      principals: {
        AKIAALICE: {
          secretAccessKey: 'alice-secret',
          arn: 'arn:aws:iam::123456789012:user/alice',
          policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
        },
      },
      stageInPath: true,
    })
    server = createServer((req, res) =>
      serveNode(
        (r) => gateway.dispatch(r),
        req,
        res,
        req.url,
        {},
        DEFAULT_BODY_LIMIT,
        () => res.end(),
      ),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`
  })

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
  })

  it('sends x-api-key and header parameters; signs with @gatehousejs/sigv4', async () => {
    const file = join(out, 'secured.ts')
    writeFileSync(file, generateSdk(api, { lang: 'ts' }))
    // The documented way to pass the signer type-checks against the generated options.
    const use = join(out, 'secured-use.ts')
    writeFileSync(
      use,
      [
        "import { createClient } from './secured.js'",
        'declare const signRequest: (r: { method: string; path: string; query?: string; headers: Record<string, string | string[]>; body?: string | Uint8Array }, c: { accessKeyId: string; secretAccessKey: string }, o: { region: string; service: string }) => { method: string; path: string; query: string; headers: Record<string, string | string[]> }',
        "const client = createClient({ baseUrl: 'http://x/prod', sign: (r) => signRequest(r, { accessKeyId: 'a', secretAccessKey: 's' }, { region: 'us-east-1', service: 'execute-api' }) })",
        "void client.signed({ body: { text: 'hi' } })",
        "void client.keyed({ headers: { 'X-Trace': 't' } })",
        '',
      ].join('\n'),
    )
    expect(compile([file, use])).toEqual([])
    const { createClient } = await load<{ createClient: (o: unknown) => Client }>(file)

    const withoutKey = await createClient({ baseUrl: url }).keyed?.({ headers: { 'X-Trace': 't1' } })
    expect(withoutKey?.status).toBe(403)
    const keyed = await createClient({ baseUrl: url, apiKey: API_KEY }).keyed?.({ headers: { 'X-Trace': 't1' } })
    expect(keyed?.status).toBe(200)
    expect(keyed?.body).toMatchObject({ trace: 't1' })

    const unsigned = await createClient({ baseUrl: url }).signed?.({ body: { text: 'hi' } })
    expect(unsigned?.status).toBe(403)
    const signer = (r: Parameters<typeof signRequest>[0]) => signRequest(r, credentials, { region: 'us-east-1', service: 'execute-api' })
    const signed = await createClient({ baseUrl: url, sign: signer }).signed?.({ body: { text: 'hi' } })
    expect(signed?.status).toBe(200)
    expect(signed?.body).toEqual({ user: 'arn:aws:iam::123456789012:user/alice', trace: null, body: '{"text":"hi"}' })
  })
})

describe('operation names', () => {
  it('operationId camelCased, else the method and path; unique; never a keyword', async () => {
    const { sdkOperations } = await import('../src/sdk/operations')
    const ops = sdkOperations({
      resources: {
        '/pets/{petId}': { GET: { operationName: 'GET HTTP' }, DELETE: { operationName: 'delete' } },
        '/pets': { GET: { operationName: 'getHttp' }, ANY: {} },
        '/files/{key+}': { PUT: {} },
      },
    })
    expect(ops.map((o) => [o.name, o.method, o.path])).toEqual([
      ['putFilesKey', 'PUT', '/files/{key+}'],
      ['anyPets', 'ANY', '/pets'],
      ['getHttp', 'GET', '/pets'],
      ['deleteOperation', 'DELETE', '/pets/{petId}'],
      ['getHttp2', 'GET', '/pets/{petId}'],
    ])
    expect(ops[0]?.pathParams).toEqual([{ name: 'key', greedy: true }])
  })
})
