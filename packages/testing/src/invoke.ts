/**
 * Calling a gateway in process, without a socket: `testInvoke` (API Gateway's TestInvokeMethod, in spirit) and a
 * supertest-like `request(gateway)` chain.
 */
import { AssertionError } from 'node:assert'
import {
  captureExecutionLog,
  enableExecutionLogCapture,
  type ExecutionLogLine,
  type Gateway,
  type GatewayRequest,
  type HeaderMap,
} from '@gatehousejs/core'

// Gateways built after the testing kit is imported keep the execution log of the requests testInvoke sends, even on
// methods whose loggingLevel is OFF (others pay nothing).
enableExecutionLogCapture()

export type QueryInput = string | Record<string, string | number | boolean | readonly (string | number | boolean)[]>

export interface TestInvokeRequest {
  method: string
  /** The path as on the wire (percent-encoded); a `?query` here is read when `query` is absent. */
  path: string
  /** Header names in any case; a list sends the header once per value. */
  headers?: Record<string, string | number | readonly string[]>
  /** A raw query string (no `?`) or a map, encoded with `encodeURIComponent`. */
  query?: QueryInput
  /** A string or bytes as is; any other value is sent as JSON (with `content-type: application/json` unless set). */
  body?: unknown
  sourceIp?: string
}

export interface TestInvokeResponse {
  statusCode: number
  headers: HeaderMap
  /** The body as text (UTF-8); `rawBody` has the bytes. */
  body: string
  rawBody: Uint8Array
  /** Milliseconds `handle` took, by the process's monotonic clock (not the gateway's `now`). */
  latency: number
  /** The request's execution log as TestInvokeMethod's `log` shows it (every line, data included, secrets redacted). */
  log: string
  /** The same lines, one object each. */
  logLines: ExecutionLogLine[]
  /** A header by name, in any case; repeated headers joined with `, `. */
  header(name: string): string | undefined
  /** The body parsed as JSON (throws a SyntaxError naming the body when it is not JSON). */
  json<T = unknown>(): T
}

function encodeQuery(query: QueryInput): string {
  if (typeof query === 'string') return query.startsWith('?') ? query.slice(1) : query
  const parts: string[] = []
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`)
  }
  return parts.join('&')
}

function headerValue(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase()
  const found: string[] = []
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) found.push(...(Array.isArray(v) ? v : [v]))
  return found.length === 0 ? undefined : found.join(', ')
}

/** Build the gateway request `testInvoke` sends (exported for adapters' and users' own helpers). */
export function toGatewayRequest(input: TestInvokeRequest): GatewayRequest {
  if (typeof input.method !== 'string' || input.method === '') throw new TypeError('testInvoke: `method` is required')
  if (typeof input.path !== 'string' || !input.path.startsWith('/')) throw new TypeError('testInvoke: `path` must start with /')
  const headers: HeaderMap = {}
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const key = name.toLowerCase()
    const values = Array.isArray(value) ? value.map(String) : [String(value)]
    const prior = headers[key]
    const all = prior === undefined ? values : [...(Array.isArray(prior) ? prior : [prior]), ...values]
    headers[key] = all.length === 1 ? all[0]! : all
  }
  let body: string | Uint8Array | undefined
  if (input.body === undefined || input.body === null) body = undefined
  else if (typeof input.body === 'string' || input.body instanceof Uint8Array) body = input.body
  else {
    body = JSON.stringify(input.body)
    if (headers['content-type'] === undefined) headers['content-type'] = 'application/json'
  }
  let path = input.path
  let query: string | undefined
  if (input.query !== undefined) {
    const q = path.indexOf('?')
    if (q >= 0) path = path.slice(0, q)
    query = encodeQuery(input.query)
  }
  return {
    method: input.method.toUpperCase(),
    path,
    headers,
    ...(query !== undefined ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(input.sourceIp !== undefined ? { sourceIp: input.sourceIp } : {}),
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Send one request through `gateway.handle` — no socket, no adapter — and read the answer.
 *
 * @example
 * ```ts
 * const res = await testInvoke(gw, { method: 'POST', path: '/pets', body: { name: 'Rex' } })
 * res.statusCode // 201
 * res.json() // { id: '1', name: 'Rex' }
 * ```
 */
export async function testInvoke(gateway: Pick<Gateway, 'handle'>, input: TestInvokeRequest): Promise<TestInvokeResponse> {
  const request = toGatewayRequest(input)
  const capture = captureExecutionLog(request)
  const start = performance.now()
  const res = await gateway.handle(request)
  const latency = performance.now() - start
  const rawBody = typeof res.body === 'string' ? encoder.encode(res.body) : res.body
  const body = typeof res.body === 'string' ? res.body : decoder.decode(res.body)
  return {
    statusCode: res.statusCode,
    headers: res.headers,
    body,
    rawBody,
    latency,
    log: capture.text(),
    logLines: capture.lines,
    header: (name) => headerValue(res.headers, name),
    json: <T>() => {
      try {
        return JSON.parse(body) as T
      } catch (e) {
        throw new SyntaxError(`response body is not JSON (${(e as Error).message}): ${body.slice(0, 200)}`)
      }
    },
  }
}

type Expectation = (res: TestInvokeResponse) => void

/** One request being built: chain `.set`, `.query`, `.send`, `.expect`, then `await` it. */
export class TestRequest implements PromiseLike<TestInvokeResponse> {
  private readonly headers: Record<string, string | string[]> = {}
  private queryInput: QueryInput | undefined
  private body: unknown
  private readonly expectations: Expectation[] = []
  private running: Promise<TestInvokeResponse> | undefined

  constructor(
    private readonly gateway: Pick<Gateway, 'handle'>,
    private readonly method: string,
    private readonly path: string,
  ) {}

  /** Set a header (`set(name, value)`) or several (`set({ name: value })`); a repeated name adds a value. */
  set(name: string | Record<string, string>, value?: string): this {
    const entries = typeof name === 'string' ? [[name, value ?? '']] : Object.entries(name)
    for (const [n, v] of entries) {
      const key = n!.toLowerCase()
      const prior = this.headers[key]
      this.headers[key] = prior === undefined ? v! : [...(Array.isArray(prior) ? prior : [prior]), v!]
    }
    return this
  }

  /** The query string: raw text or a map. */
  query(query: QueryInput): this {
    this.queryInput = query
    return this
  }

  /** The body: a string or bytes as is, anything else as JSON. */
  send(body: unknown): this {
    this.body = body
    return this
  }

  /**
   * Expect a status (`expect(200)`), a status and body (`expect(200, '{"a":1}'` or an object compared as JSON),
   * a header (`expect('content-type', /json/)`), or run a function on the response.
   */
  expect(status: number, body?: unknown): this
  expect(header: string, value: string | RegExp): this
  expect(check: (res: TestInvokeResponse) => void): this
  expect(a: number | string | ((res: TestInvokeResponse) => void), b?: unknown): this {
    if (typeof a === 'function') this.expectations.push(a)
    else if (typeof a === 'number') {
      this.expectations.push((res) => {
        if (res.statusCode !== a)
          throw new AssertionError({
            message: `expected status ${a}, got ${res.statusCode}: ${res.body.slice(0, 200)}`,
            actual: res.statusCode,
            expected: a,
            operator: 'strictEqual',
          })
      })
      if (b !== undefined) this.expectations.push((res) => expectBody(res, b))
    } else {
      const want = b as string | RegExp
      this.expectations.push((res) => {
        const got = res.header(a)
        const ok = got !== undefined && (want instanceof RegExp ? want.test(got) : got === want)
        if (!ok)
          throw new AssertionError({
            message: `expected header ${a} ${String(want)}, got ${String(got)}`,
            actual: got,
            expected: want,
            operator: 'strictEqual',
          })
      })
    }
    return this
  }

  private run(): Promise<TestInvokeResponse> {
    this.running ??= testInvoke(this.gateway, {
      method: this.method,
      path: this.path,
      headers: this.headers,
      ...(this.queryInput !== undefined ? { query: this.queryInput } : {}),
      ...(this.body !== undefined ? { body: this.body } : {}),
    }).then((res) => {
      for (const check of this.expectations) check(res)
      return res
    })
    return this.running
  }

  // A request is awaited, as supertest's are.
  then<T1 = TestInvokeResponse, T2 = never>(
    onfulfilled?: ((value: TestInvokeResponse) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.run().then(onfulfilled, onrejected)
  }
}

function expectBody(res: TestInvokeResponse, want: unknown): void {
  if (typeof want === 'string') {
    if (res.body !== want)
      throw new AssertionError({
        message: `expected body ${want}, got ${res.body}`,
        actual: res.body,
        expected: want,
        operator: 'strictEqual',
      })
    return
  }
  if (want instanceof RegExp) {
    if (!want.test(res.body))
      throw new AssertionError({
        message: `expected body to match ${want}, got ${res.body}`,
        actual: res.body,
        expected: want,
        operator: 'match',
      })
    return
  }
  const got = JSON.stringify(res.json())
  const expected = JSON.stringify(want)
  if (got !== expected)
    throw new AssertionError({ message: `expected JSON body ${expected}, got ${got}`, actual: got, expected, operator: 'deepStrictEqual' })
}

export interface RequestAgent {
  get(path: string): TestRequest
  post(path: string): TestRequest
  put(path: string): TestRequest
  patch(path: string): TestRequest
  delete(path: string): TestRequest
  head(path: string): TestRequest
  options(path: string): TestRequest
  /** Any other method. */
  method(method: string, path: string): TestRequest
}

/**
 * Supertest-style chains against a gateway, without a socket.
 *
 * @example
 * ```ts
 * await request(gw).get('/pets/7').set('x-api-key', key).expect(200)
 * const res = await request(gw).post('/pets').send({ name: 'Rex' }).expect(201)
 * ```
 */
export function request(gateway: Pick<Gateway, 'handle'>): RequestAgent {
  const make = (method: string) => (path: string) => new TestRequest(gateway, method, path)
  return {
    get: make('GET'),
    post: make('POST'),
    put: make('PUT'),
    patch: make('PATCH'),
    delete: make('DELETE'),
    head: make('HEAD'),
    options: make('OPTIONS'),
    method: (method, path) => new TestRequest(gateway, method.toUpperCase(), path),
  }
}
