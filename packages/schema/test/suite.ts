// Loads the official JSON Schema Test Suite from ../shared/conformance (read in place, never copied).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SUITE_DIR = fileURLToPath(new URL('../../../../shared/conformance/json-schema-test-suite/', import.meta.url))

export interface SuiteTest {
  /** `file > group > test`, the key skip lists use. */
  id: string
  file: string
  group: string
  description: string
  schema: unknown
  data: unknown
  valid: boolean
}

export interface SuiteGroup {
  file: string
  description: string
  schema: unknown
  tests: SuiteTest[]
}

export function suiteAvailable(): boolean {
  return existsSync(join(SUITE_DIR, 'tests'))
}

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p))
    else if (name.endsWith('.json')) out.push(p)
  }
  return out
}

/** Every remote document, keyed by the URI the suite's `$ref`s use. */
export function loadRemotes(): Record<string, unknown> {
  const root = join(SUITE_DIR, 'remotes')
  const out: Record<string, unknown> = {}
  for (const f of walk(root)) out[`http://localhost:1234/${relative(root, f).split('\\').join('/')}`] = JSON.parse(readFileSync(f, 'utf8'))
  return out
}

/** The groups of one dialect directory (`draft4`, `draft7`, `draft2020-12`), required and optional. */
export function loadGroups(dialect: string): SuiteGroup[] {
  const root = join(SUITE_DIR, 'tests', dialect)
  const groups: SuiteGroup[] = []
  for (const f of walk(root)) {
    const file = relative(root, f).split('\\').join('/')
    const raw = JSON.parse(readFileSync(f, 'utf8')) as Array<{
      description: string
      schema: unknown
      tests: Array<{ description: string; data: unknown; valid: boolean }>
    }>
    for (const g of raw) {
      groups.push({
        file,
        description: g.description,
        schema: g.schema,
        tests: g.tests.map((t) => ({
          id: `${file} > ${g.description} > ${t.description}`,
          file,
          group: g.description,
          description: t.description,
          schema: g.schema,
          data: t.data,
          valid: t.valid,
        })),
      })
    }
  }
  return groups
}
