// Issue #21, items 9 and 10 over real sockets: a node:http server with the gateway in front of a real node:http
// backend. A response mapping or a backend must never set a framing or hop-by-hop header on the client's response,
// and a mapped `Transfer-Encoding` must never reach the backend.
// Recorded AWS answers (localstack/localstack, commit 8b9a79f05846835cf4dff63ab7eefdde9df83783, Apache-2.0; read,
// not copied): tests/aws/services/apigateway/test_apigateway_integrations.snapshot.json,
// TestApiGatewayHeaderRemapping::test_apigateway_header_remapping_http[HTTP] (11-12-2024, 15:28:47) keys
// "full-integration" (mapped Content-Length/Connection/Server… come back as x-amzn-Remapped-*, Transfer-Encoding is
// dropped) and "transfer-encoding" (500 InternalServerErrorException); [HTTP_PROXY] (11-12-2024, 15:29:02) key
// "no-param-integration" (the backend's Connection, Content-Length, Date, Server come back remapped).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { createHandler } from '@gatehousejs/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const listenOn = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/** What a raw HTTP/1.1 exchange gave: the head as written on the wire, and the bytes after it. */
interface Raw {
  status: number
  headers: [string, string][]
  body: Buffer
}

/** One request over a plain TCP socket (`Connection: close`), the answer read to the end of the stream. */
function raw(port: number, head: string, body = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const end = all.indexOf('\r\n\r\n')
      const lines = all.subarray(0, end).toString('latin1').split('\r\n')
      const headers = lines.slice(1).map((l) => {
        const i = l.indexOf(':')
        return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as [string, string]
      })
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, body: all.subarray(end + 4) })
    })
    // Written, not ended: a half-closed socket may be dropped before a slow answer is written.
    socket.write(`${head}\r\nHost: api.example.com\r\nConnection: close\r\n\r\n${body}`)
  })
}

const values = (r: Raw, name: string) => r.headers.filter(([n]) => n === name).map(([, v]) => v)

let backend: Server
let gateway: Server
let port = 0
const seen: IncomingHttpHeaders[] = []

beforeAll(async () => {
  backend = createServer((r, w) => {
    const chunks: Buffer[] = []
    r.on('data', (c: Buffer) => chunks.push(c))
    r.on('end', () => {
      seen.push({ ...r.headers, 'x-seen-body': Buffer.concat(chunks).toString('utf8') })
      w.setHeader('Server', 'backend/1.0')
      w.setHeader('x-amzn-RequestId', 'backend-id')
      w.setHeader('Content-Type', 'text/plain')
      // Chunked on purpose: the gateway reads it whole and must not copy this framing onto its own answer.
      w.write('hello ')
      w.end('world')
    })
  })
  const backendUrl = `http://127.0.0.1:${await listenOn(backend)}`
  const responseParameters = {
    'method.response.header.Transfer-Encoding': "'deflate'",
    'method.response.header.Content-Length': "'5'",
    'method.response.header.Connection': "'upgrade'",
    'method.response.header.Upgrade': "'h2c'",
    'method.response.header.Server': "'mapped-server'",
    'method.response.header.X-Kept': "'kept'",
  }
  const api = {
    resources: {
      '/mapped': {
        GET: {
          integration: {
            type: 'HTTP',
            uri: `${backendUrl}/x`,
            httpMethod: 'GET',
            responses: { default: { statusCode: '200', responseParameters } },
          },
        },
      },
      '/aws-mapped': {
        GET: {
          integration: { type: 'AWS', uri: 'fn', httpMethod: 'POST', responses: { default: { statusCode: '200', responseParameters } } },
        },
      },
      '/refused': {
        POST: {
          integration: {
            type: 'HTTP',
            uri: `${backendUrl}/x`,
            httpMethod: 'POST',
            requestParameters: { 'integration.request.header.Transfer-Encoding': "'chunked'" },
            responses: { default: { statusCode: '200' } },
          },
        },
      },
      '/proxy': { ANY: { integration: { type: 'HTTP_PROXY', uri: `${backendUrl}/p`, httpMethod: 'ANY' } } },
    },
  }
  gateway = createServer(createHandler({ api, functions: { fn: async () => ({ ok: true }) } }))
  port = await listenOn(gateway)
})
afterAll(async () => {
  await closeServer(gateway)
  await closeServer(backend)
})

describe('response mappings cannot set framing headers on a real socket', () => {
  it.each(['/mapped', '/aws-mapped'])('%s: no mapped Transfer-Encoding, Content-Length or Connection on the wire', async (path) => {
    const res = await raw(port, `GET ${path} HTTP/1.1`)
    expect(res.status).toBe(200)
    // Framing is the server's own: one Content-Length, matching the body; no Transfer-Encoding at all.
    expect(values(res, 'transfer-encoding')).toEqual([])
    expect(values(res, 'content-length')).toEqual([String(res.body.length)])
    expect(values(res, 'connection')).toEqual(['close'])
    expect(values(res, 'upgrade')).toEqual([])
    // The mapped values come back renamed, as AWS answered.
    expect(values(res, 'x-amzn-remapped-content-length')).toEqual(['5'])
    expect(values(res, 'x-amzn-remapped-connection')).toEqual(['upgrade'])
    expect(values(res, 'x-amzn-remapped-upgrade')).toEqual(['h2c'])
    expect(values(res, 'x-amzn-remapped-server')).toEqual(['mapped-server'])
    expect(values(res, 'x-kept')).toEqual(['kept'])
    expect(values(res, 'x-amzn-remapped-transfer-encoding')).toEqual([])
  })

  it('HTTP_PROXY: the backend chunked answer is re-framed, its Connection/Date/Server/x-amzn-RequestId renamed', async () => {
    const res = await raw(port, 'GET /proxy HTTP/1.1')
    expect(res.status).toBe(200)
    expect(res.body.toString('utf8')).toBe('hello world')
    expect(values(res, 'transfer-encoding')).toEqual([])
    expect(values(res, 'content-length')).toEqual(['11'])
    expect(values(res, 'x-amzn-remapped-server')).toEqual(['backend/1.0'])
    expect(values(res, 'x-amzn-remapped-connection')).toEqual(['keep-alive'])
    expect(values(res, 'x-amzn-remapped-date')).toHaveLength(1)
    expect(values(res, 'x-amzn-remapped-x-amzn-requestid')).toEqual(['backend-id'])
    expect(values(res, 'x-amzn-requestid')).toHaveLength(1)
    expect(values(res, 'x-amzn-requestid')[0]).not.toBe('backend-id')
    expect(values(res, 'server')).toEqual([])
  })
})

describe('a mapped Transfer-Encoding never reaches the backend', () => {
  it('an integration request mapping of Transfer-Encoding answers 500 and the backend sees nothing', async () => {
    const before = seen.length
    const res = await raw(port, 'POST /refused HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2', '{}')
    expect(res.status).toBe(500)
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ message: 'Internal server error' })
    expect(values(res, 'x-amzn-errortype')).toEqual(['InternalServerErrorException'])
    expect(seen.length).toBe(before)
  })

  it("HTTP_PROXY: the client's chunked body reaches the backend with a Content-Length and no Transfer-Encoding", async () => {
    const before = seen.length
    const res = await raw(port, 'POST /proxy HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked', '5\r\nhello\r\n0\r\n\r\n')
    expect(res.status).toBe(200)
    expect(seen.length).toBe(before + 1)
    const got = seen.at(-1)!
    expect(got['transfer-encoding']).toBeUndefined()
    expect(got['content-length']).toBe('5')
    expect(got['x-seen-body']).toBe('hello')
  })
})
