/**
 * Issue #12, finding 6: one work budget per VTL render. The 1,000-iteration cap was per `#foreach`, so nested
 * loops, macro fan-out and string growth ran for seconds and took gigabytes; deep JSON bodies overflowed the stack.
 * Every case below must now end in a typed VtlError (`VTL_BUDGET`, or `VTL_INVALID_PAYLOAD` for a payload nested
 * deeper than the parser accepts), on both execution paths (generated code and closures).
 */
import { describe, expect, it } from 'vitest'
import { compileMappingTemplate, compileTemplate, renderMappingTemplate, VtlError, type MappingTemplateInput } from '@gatehousejs/vtl'

function failure(fn: () => unknown): VtlError {
  try {
    fn()
  } catch (e) {
    if (e instanceof VtlError) return e
    throw e
  }
  throw new Error('expected a VtlError, the render completed')
}

describe.each([true, false])('work budget (codegen %s)', (codegen) => {
  const render = (src: string, bindings: Record<string, unknown> = {}) => compileTemplate(src, { codegen })(bindings)
  const mapping = (src: string, input: MappingTemplateInput) => compileMappingTemplate(src, { codegen })(input)

  it('nested loops, each under the 1,000-iteration cap, exceed the render budget', () => {
    const e = failure(() => render('#foreach($a in [1..1000])#foreach($b in [1..1000])$a$b#end#end'))
    expect(e.code).toBe('VTL_BUDGET')
    expect(e.status).toBe(500)
  })

  it('macro fan-out (2^20 calls within the depth limit) exceeds the budget', () => {
    const e = failure(() => render('#macro(f $n)#if($n > 0)#set($m = $n - 1)#f($m)#set($m = $n - 1)#f($m)#end#end#f(19)'))
    expect(e.code).toBe('VTL_BUDGET')
  })

  it.each([
    ['replace', "#set($s = 'aaaaaaaaaa')#foreach($i in [1..22])#set($s = $s.replace('a', 'aa'))#end$s.length()"],
    ['replaceAll', "#set($s = 'aaaaaaaaaa')#foreach($i in [1..22])#set($s = $s.replaceAll('a', 'aa'))#end$s.length()"],
    ['concat', "#set($s = 'aaaaaaaaaa')#foreach($i in [1..24])#set($s = $s.concat($s))#end$s.length()"],
    ['+', "#set($s = 'aaaaaaaaaa')#foreach($i in [1..24])#set($s = $s + $s)#end$s.length()"],
    ['interpolation', '#set($s = "aaaaaaaaaa")#foreach($i in [1..24])#set($s = "$s$s")#end$s.length()'],
  ])('string growth through %s exceeds the budget', (_, src) => {
    expect(failure(() => render(src)).code).toBe('VTL_BUDGET')
  })

  it('output larger than the payload limit exceeds the budget', () => {
    const body = JSON.stringify({ s: 'x'.repeat(100_000) })
    const e = failure(() => mapping('#foreach($i in [1..1000])$input.body#end', { body }))
    expect(e.code).toBe('VTL_BUDGET')
  })

  it('a list that contains itself fails as VTL_BUDGET when printed, not as a stack overflow', () => {
    expect(failure(() => render('#set($l = [])#set($x = $l.add($l))$l')).code).toBe('VTL_BUDGET')
    expect(failure(() => render('#set($m = {})#set($x = $m.put("k", $m))$m.toString()')).code).toBe('VTL_BUDGET')
  })

  it('a shared list doubled 24 times fails when printed (exponential output from linear work)', () => {
    expect(failure(() => render('#set($l = [1])#foreach($i in [1..24])#set($l = [$l, $l])#end$l')).code).toBe('VTL_BUDGET')
  })

  it('limits are options', () => {
    const src = '#foreach($a in [1..10])#foreach($b in [1..10])x#end#end'
    expect(compileTemplate(src, { codegen })({})).toHaveLength(100)
    expect(failure(() => compileTemplate(src, { codegen, maxSteps: 50 })({})).code).toBe('VTL_BUDGET')
    expect(failure(() => compileTemplate(src, { codegen, maxOutputLength: 50 })({})).code).toBe('VTL_BUDGET')
    expect(failure(() => renderMappingTemplate(src, {}, { codegen, maxSteps: 50 })).code).toBe('VTL_BUDGET')
    expect(renderMappingTemplate(src, {}, { codegen })).toHaveLength(100)
  })
})

describe('deep JSON payloads', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

  it.each([5_000, 100_000])('$input.path / $input.json on a body nested %i levels: VTL_INVALID_PAYLOAD, not a stack overflow', (n) => {
    for (const src of ["$input.json('$')", "$input.path('$')", "$input.path('$..a')", "$input.json('$.a.a')"]) {
      for (const body of [deep(n), deepObject(n), `{"d":1.0,"x":${deep(n)}}`]) {
        const e = failure(() => compileMappingTemplate(src)({ body }))
        expect(e.code).toBe('VTL_INVALID_PAYLOAD')
        expect(e.status).toBe(400)
      }
    }
  })

  it.each([5_000, 100_000])('$util.parseJson of JSON nested %i levels is a VtlError', (n) => {
    const e = failure(() => compileMappingTemplate('$util.parseJson($input.params("j"))')({ params: { querystring: { j: deep(n) } } }))
    expect(e.code).toBe('VTL_RUNTIME')
  })

  it('a payload nested 900 levels still renders, and brackets inside strings are not nesting', () => {
    expect(compileMappingTemplate("$input.json('$')")({ body: deep(900) })).toMatchObject({ body: deep(900) })
    const body = JSON.stringify({ a: '['.repeat(5000), b: '\\"[['.repeat(2000), c: [1] })
    expect(compileMappingTemplate("$input.json('$.c')|$input.path('$.a').length()")({ body }).body).toBe('[1]|5000')
  })
})
