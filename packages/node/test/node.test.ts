import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHandler, type GatewayIncomingMessage } from '@gatehousejs/node'
import { describe, expect, it } from 'vitest'
import { listen, runAdapterSuite, send, suiteInput } from '@gatehousejs/test-kit'

/** The host app: plain node:http, reading the body stream itself as any node app would. */
async function app(req: GatewayIncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, value: unknown) => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(value))
  }
  if (req.method === 'POST' && req.url === '/app/echo') {
    const chunks: Buffer[] = []
    for await (const chunk of req as IncomingMessage) chunks.push(chunk as Buffer)
    return send(200, { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), requestContext: req.apiGateway ?? null })
  }
  if (req.method === 'GET' && req.url === '/app/only') return send(200, { app: true, requestContext: req.apiGateway ?? null })
  send(404, { message: 'app: not found' })
}

runAdapterSuite('node:http', async (input) => listen(createHandler(input, (req, res) => void app(req, res))))

describe('node:http fallback errors', () => {
  it('an async fallback that rejects gets a 500, and the process lives on', async () => {
    const errors: unknown[] = []
    const server = await listen(
      createHandler(
        suiteInput({ unmatched: 'passthrough' }),
        async () => {
          throw new Error('app bug')
        },
        { onError: (e) => errors.push(e) },
      ),
    )
    try {
      const res = await send(server.url, '/app/only')
      expect(res.status).toBe(500)
      expect(res.json()).toEqual({ message: 'Internal server error' })
      expect((errors[0] as Error).message).toBe('app bug')
    } finally {
      await server.close()
    }
  })
})
