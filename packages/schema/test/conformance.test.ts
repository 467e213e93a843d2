// The official JSON Schema Test Suite (draft4, draft7, draft2020-12; required and optional), read in place.
import { afterAll, describe, expect, it } from 'vitest'
import { compileSchema, type Draft } from '@gatehousejs/schema'
import { skipReason } from './conformance-skips'
import { loadGroups, loadRemotes, suiteAvailable, type SuiteGroup } from './suite'

const available = suiteAvailable()
const DIALECTS: Array<[string, Draft]> = [
  ['draft4', 4],
  ['draft7', 7],
  ['draft2020-12', 2020],
]

if (!available) {
  // Outside CI the suite shows as skipped, with its reason; under CI a missing suite fails.
  describe.skipIf(!process.env.CI)(
    'JSON Schema Test Suite (missing at ../shared/conformance/json-schema-test-suite; set CI to make this a failure)',
    () => {
      it('is present', () => {
        throw new Error('conformance data missing: ../shared/conformance/json-schema-test-suite')
      })
    },
  )
} else {
  const remotes = loadRemotes()
  const summary: string[] = []
  afterAll(() => console.log(summary.join('\n')))

  // Both engines run the whole suite: generated code (the default) and the closure fallback.
  for (const [dialect, draft] of DIALECTS)
    for (const codegen of [true, false]) {
      describe(`JSON Schema Test Suite ${dialect} (${codegen ? 'generated code' : 'closures'})`, () => {
        const groups = loadGroups(dialect)
        const byFile = new Map<string, SuiteGroup[]>()
        for (const g of groups) byFile.set(g.file, [...(byFile.get(g.file) ?? []), g])
        let passed = 0
        let skipped = 0
        let skippedPassing = 0
        let total = 0
        for (const [file, fileGroups] of byFile) {
          it(file, () => {
            const failures: string[] = []
            for (const g of fileGroups) {
              // 2020-12 makes format an annotation; only the optional/format tests ask for assertion.
              const formats = !(draft === 2020 && !g.file.startsWith('optional/format'))
              let validate: ((v: unknown) => unknown) | null = null
              let compileError = ''
              try {
                validate = compileSchema(g.schema, { draft, schemas: remotes, formats, codegen })
              } catch (e) {
                compileError = String(e)
              }
              for (const t of g.tests) {
                total++
                const ok = validate !== null && (validate(t.data) === null) === t.valid
                if (skipReason(dialect, t.id) !== null) {
                  skipped++
                  if (ok) skippedPassing++
                  continue
                }
                if (ok) passed++
                else failures.push(`${t.id}${compileError ? ` (compile: ${compileError})` : ''}`)
              }
            }
            expect(failures).toEqual([])
          })
        }
        it('summary', () => {
          summary.push(
            `${dialect} (${codegen ? 'generated code' : 'closures'}): ${passed} passed, ${skipped} skipped (listed with reasons in conformance-skips.ts; ${skippedPassing} of them pass anyway), of ${total}`,
          )
          expect(passed).toBeGreaterThan(0)
        })
      })
    }
}
