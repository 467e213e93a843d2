/**
 * IPv4 and IPv6 addresses and CIDR blocks for `IpAddress` / `NotIpAddress` on `aws:SourceIp`.
 * IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) match IPv4 blocks, as a dual-stack socket reports them.
 */
import { isIPv4, isIPv6 } from 'node:net'

export interface IpBlock {
  v6: boolean
  base: bigint
  prefix: number
}

function v4ToBigInt(s: string): bigint {
  let n = 0n
  for (const part of s.split('.')) n = (n << 8n) | BigInt(Number(part))
  return n
}

function v6ToBigInt(s: string): bigint {
  let text = s
  // An embedded IPv4 tail becomes two hex groups.
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    const v4 = v4ToBigInt(tail)
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const headParts = head === '' ? [] : head.split(':')
  const restParts = rest === undefined ? [] : rest === '' ? [] : rest.split(':')
  const zeros = rest === undefined ? 0 : 8 - headParts.length - restParts.length
  const groups = [...headParts, ...Array(zeros).fill('0'), ...restParts]
  let n = 0n
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16))
  return n
}

/** Parses an address; `undefined` when it is not one. Zone ids (`%eth0`) are dropped. */
export function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  const addr = s.trim().replace(/%.*$/, '')
  if (isIPv4(addr)) return { v6: false, value: v4ToBigInt(addr) }
  if (isIPv6(addr)) {
    const value = v6ToBigInt(addr)
    // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
    if (value >> 32n === 0xffffn) return { v6: false, value: value & 0xffffffffn }
    return { v6: true, value }
  }
  return undefined
}

/** Parses `a.b.c.d/n`, `x::y/n` or a bare address (a /32 or /128); `undefined` when invalid. */
export function parseCidr(s: string): IpBlock | undefined {
  const slash = s.indexOf('/')
  const addr = slash === -1 ? s : s.slice(0, slash)
  const parsed = parseIp(addr)
  if (!parsed) return undefined
  // A mapped address in a policy is still written as IPv6; its prefix counts IPv6 bits.
  const writtenV6 = isIPv6(addr.trim())
  const bits = writtenV6 ? 128 : 32
  let prefix = bits
  if (slash !== -1) {
    const p = s.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return undefined
    prefix = Number(p)
  }
  if (writtenV6 && !parsed.v6) {
    // ::ffff:0:0/96 style blocks: compare in the IPv4 space when the prefix covers the mapping.
    if (prefix < 96) return { v6: true, base: mask((0xffffn << 32n) | parsed.value, prefix, 128), prefix }
    return { v6: false, base: mask(parsed.value, prefix - 96, 32), prefix: prefix - 96 }
  }
  return { v6: parsed.v6, base: mask(parsed.value, prefix, bits), prefix }
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix)
  return (value >> hostBits) << hostBits
}

/** Whether an address lies inside a block. */
export function inBlock(ip: { v6: boolean; value: bigint }, block: IpBlock): boolean {
  if (block.v6 && !ip.v6) {
    // A wide IPv6 block written over the mapped range still contains mapped IPv4 clients.
    return mask((0xffffn << 32n) | ip.value, block.prefix, 128) === block.base
  }
  if (ip.v6 !== block.v6) return false
  return mask(ip.value, block.prefix, ip.v6 ? 128 : 32) === block.base
}
