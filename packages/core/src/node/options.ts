/**
 * The options every node:http-based adapter takes (trust in proxies, the body limit, where adapter errors go).
 */

/**
 * Options every node:http-based adapter takes.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createHandler, type NodeAdapterOptions } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * // Behind one load balancer: its X-Forwarded-For entry names the client.
 * const options: NodeAdapterOptions = { trustProxy: 1, bodyLimit: 1024 * 1024, onError: (e) => console.error(e) }
 * createServer(createHandler({ api, functions: { getPet } }, undefined, options)).listen(3000)
 * ```
 */
export interface NodeAdapterOptions {
  /**
   * Whether `X-Forwarded-For` names the client. `false` (default): the socket's peer address is the source IP,
   * whatever the headers say. `true`: the left-most address. A number `n`: the address `n` hops from the right
   * (the proxies in front of this server are trusted, nothing before them), as Express's `trust proxy` does.
   */
  trustProxy?: boolean | number
  /** Bytes read before giving up (default `DEFAULT_BODY_LIMIT`, 10 MB); core decides the status (413). */
  bodyLimit?: number
  /** Called with an error inside the adapter (the client gets a plain 500). Default: `console.error`. */
  onError?: (error: unknown) => void
}
