/**
 * SigV4: verifyRequest (ours) beside the AWS SDK's signer signing the same request — verification is a
 * signing plus a few checks, so the signer is the fair peer. Also verifyRequestSync beside aws4's signer.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import aws4 from 'aws4'
import { type SignableRequest, signRequest, verifyRequest, verifyRequestSync } from '../packages/sigv4/src/index'
import { compare, type Row, type Section, versionOf } from './harness'

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com'
const T = Date.UTC(2025, 0, 15, 10, 0, 0)
const quick = process.env.BENCH_QUICK === '1'
const verifyOptions = {
  lookupSecret: (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
  region: 'us-east-1',
  service: 'execute-api',
  now: () => T,
}
const smithy = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'execute-api', sha256: Hash.bind(null, 'sha256') })

interface Shape {
  name: string
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body?: string
  presign?: boolean
}

const body = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `pet-${i}`, tags: ['a', 'b'] })) })
const shapes: Shape[] = [
  { name: 'GET, Authorization header', method: 'GET', path: '/prod/pets/42', query: {}, headers: { host: HOST } },
  {
    name: 'GET with query and 4 headers',
    method: 'GET',
    path: '/prod/pets',
    query: { limit: '10', type: 'dog cat', page: '2' },
    headers: { host: HOST, accept: 'application/json', 'x-api-key': 'k1234567890', 'x-custom': 'a   b' },
  },
  {
    name: `POST ${body.length} B JSON body`,
    method: 'POST',
    path: '/prod/pets',
    query: {},
    headers: { host: HOST, 'content-type': 'application/json' },
    body,
  },
  { name: 'presigned GET', method: 'GET', path: '/prod/pets/42', query: { a: '1' }, headers: { host: HOST }, presign: true },
]

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const wireQuery = (q: Record<string, string>) =>
  Object.entries(q)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&')

function smithyRequest(s: Shape): HttpRequest {
  return new HttpRequest({
    method: s.method,
    protocol: 'https:',
    hostname: HOST,
    path: s.path,
    query: s.query,
    headers: s.headers,
    ...(s.body ? { body: s.body } : {}),
  })
}

function ourRequest(s: Shape): SignableRequest {
  const req = signRequest(
    { method: s.method, path: s.path, query: wireQuery(s.query), headers: s.headers, ...(s.body ? { body: s.body } : {}) },
    KEY,
    { region: 'us-east-1', service: 'execute-api', date: T, presign: !!s.presign },
  )
  return req
}

/** Ops/s of two async functions, timed in alternating rounds so machine load affects both alike. */
async function asyncPair(ours: () => Promise<unknown>, peer: () => Promise<unknown>): Promise<[number, number]> {
  const roundMs = quick ? 40 : 200
  const rounds = quick ? 3 : 9
  const round = async (fn: () => Promise<unknown>) => {
    let ops = 0
    const t0 = process.hrtime.bigint()
    let elapsed = 0
    while (elapsed < roundMs) {
      for (let i = 0; i < 64; i++) await fn()
      ops += 64
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6
    }
    return (ops * 1000) / elapsed
  }
  for (let i = 0; i < 500; i++) {
    await ours()
    await peer()
  }
  const a: number[] = []
  const b: number[] = []
  for (let r = 0; r < rounds; r++) {
    b.push(await round(peer))
    a.push(await round(ours))
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
  return [median(a), median(b)]
}

export default async (): Promise<Section[]> => {
  const rows: Row[] = []
  for (const s of shapes) {
    const ours = ourRequest(s)
    const date = new Date(T)
    const peer = () =>
      s.presign
        ? smithy.presign(smithyRequest(s), { signingDate: date, expiresIn: 3600 })
        : smithy.sign(smithyRequest(s), { signingDate: date })
    // Agreement before timing: the SDK's signed request verifies with ours, and ours verifies.
    const signed = (await peer()) as HttpRequest
    const fromPeer: SignableRequest = s.presign
      ? { method: s.method, path: s.path, query: wireQuery(signed.query as Record<string, string>), headers: signed.headers }
      : { method: s.method, path: s.path, query: wireQuery(s.query), headers: signed.headers, ...(s.body ? { body: s.body } : {}) }
    const a = await verifyRequest(fromPeer, verifyOptions)
    const b = await verifyRequest(ours, verifyOptions)
    if (!a.ok || !b.ok) throw new Error(`benchmark case "${s.name}": disagree: ${JSON.stringify(a)} / ${JSON.stringify(b)}`)
    const [ourOps, peerOps] = await asyncPair(() => verifyRequest(ours, verifyOptions), peer)
    rows.push({ name: s.name, ours: ourOps, peer: peerOps, ratio: ourOps / peerOps, goal: 1.5 })
  }

  const aws4Rows = await compare(
    shapes
      .filter((s) => !s.presign)
      .map((s) => {
        const q = wireQuery(s.query)
        const sign = () =>
          aws4.sign(
            {
              host: HOST,
              method: s.method,
              path: q ? `${s.path}?${q}` : s.path,
              headers: { ...s.headers, 'X-Amz-Date': '20250115T100000Z' },
              service: 'execute-api',
              region: 'us-east-1',
              ...(s.body ? { body: s.body } : {}),
            },
            KEY,
          )
        const toReq = (o: ReturnType<typeof sign>): SignableRequest => ({
          method: s.method,
          path: s.path,
          query: q,
          headers: Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
          ...(s.body ? { body: s.body } : {}),
        })
        const ours = ourRequest(s)
        return {
          name: s.name,
          ours: () => verifyRequestSync(ours, verifyOptions),
          peer: sign,
          same: (x: unknown, y: unknown) =>
            (x as { ok: boolean }).ok && verifyRequestSync(toReq(y as ReturnType<typeof sign>), verifyOptions).ok,
        }
      }),
  )

  return [
    {
      title: 'SigV4: verifyRequest vs @smithy/signature-v4 signing the same request',
      unit: 'requests/s',
      peers: { '@smithy/signature-v4': versionOf('@smithy/signature-v4') },
      peerName: '@smithy/signature-v4 sign',
      rows,
      notes: [
        'Both sides awaited one request at a time (the SDK signer is async); ours includes the secret lookup, scope, skew and constant-time checks.',
        'Signing keys are cached on both sides.',
      ],
    },
    {
      title: 'SigV4: verifyRequestSync vs aws4 signing the same request',
      unit: 'requests/s',
      peers: { aws4: versionOf('aws4') },
      peerName: 'aws4 sign',
      rows: aws4Rows,
      notes: ['A second peer for reference (no goal set): aws4 is synchronous, so both sides run in a tight loop.'],
    },
  ]
}
