/**
 * Block sequencing. A block's parts (text, references, directives) run either as one generated function or as
 * closures; both give the same output.
 */
import { appendValue, type E, type R } from './runtime'

export type Part = { k: 'text'; v: string } | { k: 'ref'; e: E } | { k: 'node'; r: R }

export function partRenderer(p: Part): R {
  if (p.k === 'text') {
    const v = p.v
    return (s) => {
      s.out += v
    }
  }
  if (p.k === 'ref') {
    const e = p.e
    return (s) => appendValue(e(s), s)
  }
  return p.r
}

let codegen = true

/**
 * One generated function per block: text is appended from a local, references are read through their closures,
 * directives are called with the output synced. The generated source holds only parameter names and indexes,
 * never template text. Where `new Function` is unavailable (CSP, some edge runtimes) the closures run instead.
 */
export function sequencer(parts: Part[]): R | undefined {
  if (!codegen) return undefined
  const names: string[] = []
  const values: unknown[] = []
  let body = 'let out = s.out, v;\n'
  parts.forEach((p, i) => {
    if (p.k === 'text') {
      names.push(`t${i}`)
      values.push(p.v)
      body += `out += t${i};\n`
    } else if (p.k === 'ref') {
      names.push(`e${i}`)
      values.push(p.e)
      body += `v = e${i}(s);\nif (typeof v === 'string') out += v;\nelse if (v !== undefined && v !== null) { s.out = out; A(v, s); out = s.out; }\n`
    } else {
      names.push(`r${i}`)
      values.push(p.r)
      body += `s.out = out;\nr${i}(s);\nout = s.out;\n`
    }
  })
  body += 's.out = out;'
  try {
    const make = new Function('A', ...names, `return function (s) {\n${body}\n}`) as (...a: unknown[]) => R
    return make(appendValue, ...values)
  } catch {
    codegen = false
    return undefined
  }
}
