/** A server an adapter test talks to, started by node:http on 127.0.0.1, port 0. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface AdapterServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  close(): Promise<void>
}

export async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<AdapterServer> {
  return listenServer(createServer(listener))
}

export async function listenServer(server: Server): Promise<AdapterServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
