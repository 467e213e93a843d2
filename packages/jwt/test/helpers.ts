import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { webcrypto } from 'node:crypto'
import { promisify } from 'node:util'
import { generateKeyPair as nodeGenerateKeyPair } from 'node:crypto'
import { exportJWK, generateKeyPair, generateSecret, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose'

const generateKeyPairAsync = promisify(nodeGenerateKeyPair)
import type { Jwk, JwtAlgorithm } from '@gatehousejs/jwt'

type CryptoKey = webcrypto.CryptoKey

/** A fixed instant for every test: claims are set relative to it and the verifiers get it as their clock. */
export const NOW_MS = 1_800_000_000_000
export const NOW = NOW_MS / 1000
export const ISSUER = 'https://id.example.test'
export const AUDIENCE = 'client-123'

export interface TestKey {
  alg: JwtAlgorithm
  kid: string
  /** The public (or, for HMAC, secret) JWK, with kid and alg. */
  jwk: Jwk
  privateKey: CryptoKey | Uint8Array
  publicKey: CryptoKey | Uint8Array
}

// RSA key generation dominates the suite's time on a busy machine, so RS*/PS* keys share key material per
// `rsaIndex` (a JWK's `alg` still pins each to one algorithm). Tests wanting distinct RSA keys pass distinct indexes.
const rsaPool = new Map<number, Promise<{ privateJwk: JWK; publicJwk: JWK }>>()

function rsaMaterial(index: number): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  let hit = rsaPool.get(index)
  if (hit === undefined) {
    hit = generateKeyPairAsync('rsa', { modulusLength: 2048 }).then(({ privateKey, publicKey }) => ({
      privateJwk: privateKey.export({ format: 'jwk' }) as JWK,
      publicJwk: publicKey.export({ format: 'jwk' }) as JWK,
    }))
    rsaPool.set(index, hit)
  }
  return hit
}

export async function makeKey(alg: JwtAlgorithm, kid = `${alg}-key`, options: { rsaIndex?: number } = {}): Promise<TestKey> {
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const { privateJwk, publicJwk } = await rsaMaterial(options.rsaIndex ?? 0)
    const privateKey = (await importJWK(privateJwk, alg)) as CryptoKey
    return { alg, kid, jwk: { ...(publicJwk as Jwk), kid, alg, use: 'sig' }, privateKey, publicKey: privateKey }
  }
  if (alg.startsWith('HS')) {
    const secret = (await generateSecret(alg, { extractable: true })) as unknown as Uint8Array
    const jwk = (await exportJWK(secret)) as Jwk
    return { alg, kid, jwk: { ...jwk, kid, alg }, privateKey: secret, publicKey: secret }
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = (await exportJWK(publicKey)) as Jwk
  return { alg, kid, jwk: { ...jwk, kid, alg, use: 'sig' }, privateKey, publicKey }
}

export function sign(key: TestKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: NOW - 10, exp: NOW + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey)
}

export function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
}

/** A JWKS endpoint on 127.0.0.1 over a real socket, whose answer and delay the test controls. */
export interface JwksServer {
  url: string
  /** Requests received, by path. */
  hits: Map<string, number>
  keys: Jwk[]
  status: number
  delayMs: number
  close(): Promise<void>
}

export async function startJwksServer(keys: Jwk[]): Promise<JwksServer> {
  const state = { keys, status: 200, delayMs: 0, hits: new Map<string, number>() }
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/'
    state.hits.set(path, (state.hits.get(path) ?? 0) + 1)
    const respond = () => {
      if (path === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ issuer: handle.url, jwks_uri: `${handle.url}/jwks.json` }))
        return
      }
      if (path !== '/jwks.json') {
        res.writeHead(404).end()
        return
      }
      if (state.status !== 200) {
        res.writeHead(state.status).end('down')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: state.keys }))
    }
    if (state.delayMs > 0) setTimeout(respond, state.delayMs)
    else respond()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const handle: JwksServer = {
    url: `http://127.0.0.1:${port}`,
    hits: state.hits,
    get keys() {
      return state.keys
    },
    set keys(k: Jwk[]) {
      state.keys = k
    },
    get status() {
      return state.status
    },
    set status(s: number) {
      state.status = s
    },
    get delayMs() {
      return state.delayMs
    },
    set delayMs(d: number) {
      state.delayMs = d
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return handle
}
