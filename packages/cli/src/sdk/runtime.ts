/**
 * The part of a generated client every API shares: options (base URL, API key, headers, a `fetch`, a request
 * signer), building the URL and the request, signing it, and reading the response. Written out twice — with
 * types (TypeScript) and without (JavaScript) — and copied into the client, which therefore has no dependency.
 */

const TYPES = `/** A request as a signer sees it (the shape of @gatehousejs/sigv4's \`SignableRequest\`). */
export interface SignableRequest {
  method: string
  /** Percent-encoded, as on the wire. */
  path: string
  query?: string
  /** Lower-case names; \`host\` included. */
  headers: Record<string, string | string[]>
  body?: string | Uint8Array
}

/** How the client reaches the API. */
export interface ClientOptions {
  /** The stage's invoke URL, e.g. \`https://abc123.execute-api.us-east-1.amazonaws.com/prod\`. */
  baseUrl: string
  /** Sent as \`x-api-key\` (methods that require an API key). */
  apiKey?: string
  /** Sent with every request. */
  headers?: Record<string, string>
  /** Default: the global \`fetch\`. */
  fetch?: typeof fetch
  /**
   * Signs each request (IAM authorization): gets the request, returns it with the signature's headers — for
   * example \`(r) => signRequest(r, credentials, { region: 'us-east-1', service: 'execute-api' })\` with
   * \`signRequest\` from @gatehousejs/sigv4.
   */
  sign?: (request: SignableRequest) => { headers: Record<string, string | string[]> } | Promise<{ headers: Record<string, string | string[]> }>
}

/** Per call. */
export interface RequestOptions {
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** What every method resolves to (it does not throw for 4xx / 5xx: check \`ok\` or \`status\`). */
export interface ApiResponse<T = unknown> {
  status: number
  ok: boolean
  headers: Headers
  /** Parsed JSON for a JSON content type, else the text. */
  body: T
}

type Scalar = string | number | boolean
`

/**
 * The shared code, typed (TypeScript) or not (JavaScript).
 *
 * @example
 * ```ts
 * runtimeSource(true).includes('export interface ClientOptions') // true
 * ```
 */
export function runtimeSource(typed: boolean): string {
  const t = (text: string) => (typed ? text : '')
  return `${typed ? TYPES : ''}
function encodePath(template${t(': string')}, params${t(': Record<string, Scalar>')})${t(': string')} {
  return template.replace(/\\{([^}]+?)(\\+?)\\}/g, (_m, name${t(': string')}, greedy${t(': string')}) => {
    const value = params[name]
    if (value === undefined) throw new Error(\`missing path parameter \${name}\`)
    const text = String(value)
    return greedy ? text.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(text)
  })
}

function queryString(query${t(': Record<string, Scalar | Scalar[] | undefined> | undefined')})${t(': string')} {
  const parts${t(': string[]')} = []
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue
    for (const one of Array.isArray(v) ? v : [v]) parts.push(\`\${encodeURIComponent(k)}=\${encodeURIComponent(String(one))}\`)
  }
  return parts.join('&')
}

async function send(
  options${t(': ClientOptions')},
  method${t(': string')},
  path${t(': string')},
  query${t(': string')},
  headers${t(': Record<string, Scalar | undefined>')},
  body${t(': unknown')},
  init${t(': RequestOptions | undefined')},
)${t(': Promise<ApiResponse>')} {
  const base = new URL(options.baseUrl)
  const fullPath = base.pathname.replace(/\\/$/, '') + path
  const all${t(': Record<string, string>')} = { host: base.host }
  for (const [k, v] of Object.entries({ ...options.headers, ...headers, ...init?.headers })) {
    if (v !== undefined) all[k.toLowerCase()] = String(v)
  }
  if (options.apiKey !== undefined) all['x-api-key'] = options.apiKey
  let payload${t(': string | Uint8Array | undefined')}
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) payload = body
    else {
      payload = JSON.stringify(body)
      all['content-type'] ??= 'application/json'
    }
  }
  let sent${t(': Record<string, string | string[]>')} = all
  if (options.sign) {
    const signed = await options.sign({ method, path: fullPath, ...(query ? { query } : {}), headers: { ...all }, ...(payload !== undefined ? { body: payload } : {}) })
    sent = signed.headers
  }
  const fetchHeaders = new Headers()
  for (const [k, v] of Object.entries(sent)) {
    // fetch sets Host from the URL.
    if (k.toLowerCase() === 'host') continue
    for (const one of Array.isArray(v) ? v : [v]) fetchHeaders.append(k, one)
  }
  const url = \`\${base.origin}\${fullPath}\${query ? \`?\${query}\` : ''}\`
  const res = await (options.fetch ?? fetch)(url, {
    method,
    headers: fetchHeaders,
    ...(payload !== undefined ? { body: payload${t(' as BodyInit')} } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
  })
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  let parsed${t(': unknown')} = text
  if (/[/+]json\\b/i.test(type) && text !== '') {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
  }
  return { status: res.status, ok: res.ok, headers: res.headers, body: parsed }
}
`
}
