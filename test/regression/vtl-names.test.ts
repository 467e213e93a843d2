/**
 * Issue #12, finding 3 (VTL part): names that come from client data (`constructor`, `__proto__`, `toString`, …)
 * are plain data everywhere a mapping template reads them — never an inherited member, never a TypeError, never a
 * change to a prototype.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { compileMappingTemplate, compileTemplate, evaluatePath, VtlError } from '@gatehousejs/vtl'

const NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'propertyIsEnumerable',
  'toLocaleString',
]
const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',')
const before = protoKeys()

function render(src: string, input: Parameters<ReturnType<typeof compileMappingTemplate>>[0]): string {
  return compileMappingTemplate(src)(input).body
}

afterEach(() => {
  expect(protoKeys()).toBe(before)
  expect(({} as Record<string, unknown>).x).toBeUndefined()
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

describe.each(NAMES)('the name %s', (name) => {
  const lit = JSON.stringify(name)
  it('is missing from empty parameter maps', () => {
    expect(render(`[$input.params(${lit})]`, { params: { path: {}, querystring: {}, header: {} } })).toBe('[]')
    expect(render(`[$input.params().header.get(${lit})][$input.params().querystring[${lit}]]`, { params: { header: {} } })).toBe('[][]')
    expect(render(`[$input.params().header.${name}]`, { params: { header: {} } })).toBe('[]')
    expect(render(`[$stageVariables.${name}][$stageVariables.get(${lit})]`, { stageVariables: {} })).toBe('[][]')
    expect(render(`[$context.authorizer.${name}][$context.authorizer.claims.${name}]`, { context: { authorizer: { claims: {} } } })).toBe(
      '[][]',
    )
  })

  it('reads its own value from parameters, headers, stage variables and the authorizer context', () => {
    const own = (v: string) => Object.fromEntries([[name, v]]) as Record<string, string>
    const params = { path: {}, querystring: own('q'), header: own('h') }
    expect(
      render(`$input.params(${lit})|$input.params().header.get(${lit})|$util.escapeJavaScript($input.params(${lit}))`, { params }),
    ).toBe('q|h|q')
    expect(render(`$input.params().header.${name}|$stageVariables.${name}`, { params, stageVariables: own('s') })).toBe('h|s')
    expect(
      render(`$context.authorizer.${name}|$context.authorizer.claims.${name}`, {
        context: { authorizer: { ...own('a'), claims: own('c') } },
      }),
    ).toBe('a|c')
    expect(render(`#foreach($k in $input.params().header.keySet())$k=$input.params().header.get($k)#end`, { params })).toBe(`${name}=h`)
  })

  it('is data in JSON bodies read through $input.path, $input.json and $util.parseJson', () => {
    const body = `{${lit}: {"x": 1}, "a": {}}`
    expect(render(`$input.json('$.${name}')|$input.path('$.${name}.x')|$input.path("$['${name}'].x")`, { body })).toBe('{"x":1}|1|1')
    expect(render(`[$input.path('$.a.${name}')][$input.json('$.a.${name}')]`, { body })).toBe('[][]')
    expect(render(`#set($b = $input.path('$'))$b.${name}.x|$b.get(${lit}).x|[$b.a.${name}]|$b.keySet()`, { body })).toBe(
      `1|1|[]|[${name}, a]`,
    )
    expect(render(`#set($b = $util.parseJson($input.body))$b.${name}.x|[$b.a.${name}]`, { body })).toBe('1|[]')
    expect(render(`#foreach($e in $input.path('$').entrySet())$e.key;#end`, { body })).toBe(`${name};a;`)
    expect(evaluatePath(`$.${name}`, JSON.parse('{}'))).toBeUndefined()
    expect(evaluatePath(`$.${name}`, new Map())).toBeUndefined()
  })

  it('is a key like any other in maps the template builds', () => {
    const out = compileTemplate(
      `#set($m = {})#set($x = $m.put(${lit}, 1))$m.get(${lit})|$m.${name}|$m.containsKey(${lit})|$m.size()|$m|[$m.get('x')]`,
    )({})
    expect(out).toBe(`1|1|true|1|{${name}=1}|[]`)
    expect(compileTemplate(`#set($m = {})[$m.get(${lit})][$m.${name}][$m.containsKey(${lit})]`)({})).toBe('[][][false]')
    expect(compileTemplate(`#set($x = $m.put(${lit}, {"polluted": 1}))$m.get(${lit}).polluted|[$m.polluted]`)({ m: {} })).toBe('1|[]')
    expect(compileTemplate(`#set($m[${lit}] = 2)$m.get(${lit})|$m`)({ m: {} })).toBe(`2|{${name}=2}`)
  })

  it('is data in $context.responseOverride maps', () => {
    const r = compileMappingTemplate(
      `#set($context.responseOverride.header.${name} = 'v')#set($x = $context.requestOverride.querystring.put(${lit}, 'q'))`,
    )({ context: {} })
    expect(Object.getOwnPropertyDescriptor(r.responseOverride.header, name)?.value).toBe('v')
    expect(Object.getOwnPropertyDescriptor(r.requestOverride.querystring, name)?.value).toBe('q')
  })
})

it('no name makes a mapping template throw anything but its own errors', () => {
  for (const name of NAMES) {
    for (const src of [
      `$input.params('${name}').length()`,
      `$input.path('$.${name}').size()`,
      `$util.parseJson('{"${name}": 1}').${name}`,
    ]) {
      try {
        render(src, { body: `{"${name}": [1]}`, params: {} })
      } catch (e) {
        expect(e).toBeInstanceOf(VtlError)
      }
    }
  }
})
