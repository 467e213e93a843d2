/**
 * The `@connections` management API over HTTP, as API Gateway serves it at
 * `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/@connections/{connectionId}` — `POST` (send),
 * `GET` (connection info), `DELETE` (disconnect) — with IAM authorization: every request must be signed with
 * SigV4 for the service `execute-api` by one of the configured access keys
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html).
 * Answers are what the AWS SDK's ApiGatewayManagementApi client reads: JSON bodies with ISO-8601 dates, and the
 * error name in `x-amzn-ErrorType`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { verifyRequest } from '@gatehousejs/sigv4'
import type { ConnectionsApi } from './connections'
import type { ManagementCredentials } from './definition'
import { ConnectionsApiError } from './errors'

const PATH = /^\/([^/]+)\/(?:@|%40)connections\/([^/]+)$/i

export interface ManagementOptions {
  stage: string
  region: string | undefined
  credentials: ManagementCredentials[]
  maxBodyBytes: number
}

function send(res: ServerResponse, status: number, body: string, errorType?: string): void {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
  }
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType
  res.writeHead(status, headers)
  res.end(body)
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** The `(req, res)` handler of the `@connections` endpoint. */
export function createManagementHandler(
  connections: ConnectionsApi,
  options: ManagementOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const secrets = new Map(options.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]))
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const query = q < 0 ? '' : url.slice(q + 1)
    const match = PATH.exec(path)
    const method = req.method ?? 'GET'
    if (!match || decodeURIComponent(match[1]!) !== options.stage || !['POST', 'GET', 'DELETE'].includes(method)) {
      return send(res, 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException')
    }
    const body = await readBody(req, options.maxBodyBytes)
    if (body === null) return send(res, 413, '{"message":"Payload too large"}', 'PayloadTooLargeException')
    if (req.headers.authorization === undefined && !/(?:^|&)X-Amz-Signature=/.test(query)) {
      return send(res, 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException')
    }
    const verified = await verifyRequest(
      { method, path, query, headers: req.headers as Record<string, string | string[]>, body },
      {
        lookupSecret: (id) => secrets.get(id),
        service: 'execute-api',
        ...(options.region !== undefined ? { region: options.region } : {}),
      },
    )
    if (!verified.ok) return send(res, 403, JSON.stringify({ message: verified.reason }), 'ForbiddenException')
    const connectionId = decodeURIComponent(match[2]!)
    try {
      if (method === 'POST') {
        await connections.post(connectionId, body)
        return send(res, 200, '')
      }
      if (method === 'GET') {
        const info = await connections.get(connectionId)
        return send(
          res,
          200,
          JSON.stringify({
            connectedAt: info.connectedAt.toISOString(),
            identity: info.identity,
            lastActiveAt: info.lastActiveAt.toISOString(),
          }),
        )
      }
      await connections.delete(connectionId)
      res.writeHead(204, { 'x-amzn-requestid': crypto.randomUUID() })
      res.end()
    } catch (error) {
      if (error instanceof ConnectionsApiError) return send(res, error.statusCode, JSON.stringify({ message: error.message }), error.name)
      throw error
    }
  }
  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, '{"message":"Internal server error"}', 'InternalServerErrorException')
      else res.destroy()
    })
  }
}
