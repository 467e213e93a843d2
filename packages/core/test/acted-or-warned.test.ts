/**
 * "Acted on or warned" (issue #14): `strict: true` promises that everything the gateway does not act on is an
 * error. This walks the table in fields/table.ts — every `x-amazon-apigateway-*` extension and every field of every
 * object API Gateway documents — and checks each row:
 * - `warned`: loading warns exactly once (IGNORED_SETTING / UNSUPPORTED_EXTENSION) naming the field, `strict` refuses;
 * - `acted` / `inert`: loading does not warn; an `acted` row names a test that exists;
 * - completeness: each object's list of known fields in src (KNOWN_FIELDS) is the table's documented rows.
 * Sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html and
 * the pages each row cites (table.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning } from '@gatehousejs/core'
import { KNOWN_FIELDS } from '../src/openapi/fields'
import { build } from './fields/builders'
import { TABLE, type FieldRow } from './fields/table'

function load(row: FieldRow, strict = false): GatewayWarning[] {
  const warnings: GatewayWarning[] = []
  createGateway({ ...build(row).input, strict, onWarning: (w) => warnings.push(w) })
  return warnings
}

const label = (row: FieldRow) => `${row.object}.${row.field}`

/** Every `it(…)` / `test(…)` title written in a test file, as written (template titles keep their `${…}`). */
function titles(file: string): string[] {
  const text = readFileSync(join(import.meta.dirname, file), 'utf8')
  const out: string[] = []
  const re = /\b(?:it|test)(?:\.each\([^)]*\))?\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*?)\1/g
  for (const m of text.matchAll(re)) out.push(m[2]!.replace(/\\(.)/g, '$1'))
  return out
}

describe('every documented field is acted on or warned about', () => {
  for (const row of TABLE.filter((r) => r.kind === 'warned')) {
    it(`${label(row)} is warned about, naming it, and refused with strict`, () => {
      const { pointer } = build(row)
      const warnings = load(row)
      expect(warnings).toHaveLength(1)
      const w = warnings[0]!
      expect(['IGNORED_SETTING', 'UNSUPPORTED_EXTENSION']).toContain(w.code)
      if (pointer === '') expect(w.message).toContain(row.field)
      else expect(w.pointer).toBe(pointer)
      expect(() => load(row, true)).toThrow(GatewayConfigError)
    })
  }

  for (const row of TABLE.filter((r) => r.kind === 'acted' || r.kind === 'inert')) {
    it(`${label(row)} (${row.kind}) loads without a warning, strict too`, () => {
      expect(load(row)).toEqual([])
      expect(() => load(row, true)).not.toThrow()
    })
  }

  for (const row of TABLE.filter((r) => r.kind === 'acted')) {
    it(`${label(row)} names a test that exists: ${row.test}`, () => {
      const [file, title] = (row.test ?? '').split(' › ')
      expect(file, 'test is "file › title"').toBeTruthy()
      expect(titles(file!)).toContain(title)
    })
  }

  it('every inert and warned row says why, and every row cites its AWS page', () => {
    for (const row of TABLE) {
      expect(row.doc, label(row)).toMatch(/^https:\/\//)
      if (row.kind !== 'acted') expect(row.why, label(row)).toBeTruthy()
    }
  })

  for (const [object, known] of Object.entries(KNOWN_FIELDS)) {
    it(`${object}: the fields src knows are exactly the table's documented rows`, () => {
      const rows = TABLE.filter((r) => r.object === object)
      const documented = rows.filter((r) => !r.unknown).map((r) => r.field)
      expect([...known].sort()).toEqual([...new Set(documented)].sort())
      // An unknown name on the same object is warned about too (checked above): the table has one.
      expect(
        rows.some((r) => r.unknown && r.kind === 'warned'),
        `${object} has an unknown-field row`,
      ).toBe(true)
    })
  }

  it('no row is listed twice', () => {
    const seen = TABLE.map(label)
    expect(seen.length).toBe(new Set(seen).size)
  })
})
