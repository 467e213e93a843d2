/**
 * `npx tsx examples/chat/server.ts`: a chat room as a WebSocket API, the way AWS's sample chat app
 * (aws-samples/simple-websockets-chat-app) is built — a `$connect` route behind a Lambda REQUEST authorizer reading
 * the `token` query parameter, a `sendmessage` route that broadcasts through the `@connections` API, and
 * `$disconnect` — with a small page served by the same server. Open http://127.0.0.1:3001/?token=alice in one tab
 * and http://127.0.0.1:3001/?token=bob in another (see README.md).
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { pathToFileURL } from 'node:url'
import type { LambdaHandler } from '@gatehousejs/core'
import {
  ConnectionsApiError,
  createWebSocketApi,
  type WebSocketApi,
  type WebSocketAuthorizerEvent,
  type WebSocketEvent,
} from '@gatehousejs/websocket'

const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8')

/** A name is a token of 1–24 letters, digits, `-` or `_`: this demo's whole identity provider. */
const NAME = /^[A-Za-z0-9_-]{1,24}$/

export interface ChatServer {
  url: string
  api: WebSocketApi
  close(): Promise<void>
}

/**
 * Starts the chat on `port` (0: any free port) at 127.0.0.1.
 *
 * @example
 * ```ts
 * const chat = await startChat(0)
 * console.log(`${chat.url}/?token=alice`)
 * await chat.close()
 * ```
 */
export async function startChat(port = 0): Promise<ChatServer> {
  let api!: WebSocketApi

  // The Lambda REQUEST authorizer: identity source route.request.querystring.token (a missing token is a 401
  // before it is called); its context reaches every later event as requestContext.authorizer.
  const authorize: LambdaHandler = async (event: WebSocketAuthorizerEvent) => {
    const token = event.queryStringParameters?.token ?? ''
    const ok = NAME.test(token)
    return {
      principalId: ok ? token : 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: event.methodArn }],
      },
      context: { name: ok ? token : '' },
    }
  }

  const broadcast = async (message: unknown) => {
    const data = JSON.stringify(message)
    await Promise.all(
      api.connections.ids().map((id) =>
        api.connections.post(id, data).catch((error: unknown) => {
          // A connection that closed meanwhile: GoneException (410), as PostToConnection answers.
          if (!(error instanceof ConnectionsApiError && error.name === 'GoneException')) throw error
        }),
      ),
    )
  }

  const onConnect: LambdaHandler = async () => ({ statusCode: 200 })

  const sendMessage: LambdaHandler = async (event: WebSocketEvent) => {
    let text = ''
    try {
      const body = JSON.parse(event.body ?? '{}') as { message?: unknown }
      text = typeof body.message === 'string' ? body.message.slice(0, 1000) : ''
    } catch {
      return { statusCode: 400, body: 'not JSON' }
    }
    if (text === '') return { statusCode: 400, body: 'empty message' }
    await broadcast({ type: 'message', from: event.requestContext.authorizer?.name, text })
    return { statusCode: 200 }
  }

  const onDisconnect: LambdaHandler = async (event: WebSocketEvent) => {
    await broadcast({ type: 'left', who: event.requestContext.authorizer?.name })
    return { statusCode: 200 }
  }

  api = createWebSocketApi({
    api: {
      name: 'chat',
      routeSelectionExpression: '$request.body.action',
      authorizers: {
        tokenAuth: { authorizerType: 'REQUEST', authorizerUri: 'authorize', identitySource: ['route.request.querystring.token'] },
      },
      routes: {
        $connect: { integration: { type: 'AWS_PROXY', uri: 'onConnect' }, authorizationType: 'CUSTOM', authorizerId: 'tokenAuth' },
        sendmessage: { integration: { type: 'AWS_PROXY', uri: 'sendMessage' } },
        $disconnect: { integration: { type: 'AWS_PROXY', uri: 'onDisconnect' } },
      },
    },
    stage: 'prod',
    functions: { authorize, onConnect, sendMessage, onDisconnect },
  })

  const sockets = new Set<Duplex>()
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(page)
      return
    }
    if (path === '/favicon.ico') {
      res.writeHead(404).end()
      return
    }
    // Everything else is the @connections endpoint (POST/GET/DELETE /prod/@connections/{id}, SigV4-signed).
    api.managementHandler(req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (req, socket, head) => api.handleUpgrade(req, socket, head))
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    api,
    close: async () => {
      await api.close()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const chat = await startChat(Number(process.env.PORT ?? 3001))
  console.log(`chat listening on ${chat.url}\n`)
  console.log('Open two browser tabs:')
  console.log(`  ${chat.url}/?token=alice`)
  console.log(`  ${chat.url}/?token=bob`)
  console.log('\nOr from a terminal: npx wscat -c "ws://127.0.0.1:<port>/?token=carol", then {"action":"sendmessage","message":"hi"}')
  const stop = () => {
    void chat.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
