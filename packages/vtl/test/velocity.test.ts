/** The Velocity 1.7 language (https://velocity.apache.org/engine/1.7/user-guide.html) as API Gateway runs it. */
import { describe, expect, it } from 'vitest'
import { compileTemplate, VtlError } from '@gatehousejs/vtl'

const r = (src: string, bindings: Record<string, unknown> = {}) => compileTemplate(src)(bindings)

describe('references', () => {
  it.each([
    ['$a', { a: 'x' }, 'x'],
    ['$!a', { a: 'x' }, 'x'],
    ['${a}b', { a: 'x' }, 'xb'],
    ['$!{a}b', { a: 'x' }, 'xb'],
    ['$a.b.c', { a: { b: { c: 1 } } }, '1'],
    ['$a[0] $a[1]', { a: ['x', 'y'] }, 'x y'],
    ['$a[\'k\'] $a["k"]', { a: { k: 'v' } }, 'v v'],
    ['$a.get(0)', { a: ['x'] }, 'x'],
    ['$a.b.size()', { a: { b: [1, 2] } }, '2'],
    ['$a.b().c', { a: { b: () => ({ c: 'z' }) } }, 'z'],
    ['$nope|$!nope|${nope}|$nope.x.y()', {}, '|||'],
    ['$a.', { a: 'x' }, 'x.'],
    ['$1 $ $!', {}, '$1 $ $!'],
    ['$list.empty [$map.empty]', { list: [], map: { a: 1 } }, 'true []'],
    ['$a-b', { 'a-b': 'hyphen' }, 'hyphen'],
    ['$a.constructor $a.__proto__ $a.toString', { a: {} }, '  '],
  ])('%s', (src, b, out) => expect(r(src, b)).toBe(out))
})

describe('escaping', () => {
  it.each([
    ['\\$a', { a: 'x' }, '$a'],
    ['\\\\$a', { a: 'x' }, '\\x'],
    ['\\$nope', {}, '\\$nope'],
    ['\\#if(true)', {}, '#if(true)'],
    ['\\\\#if(true)y#end', {}, '\\y'],
    ['a\\b', {}, 'a\\b'],
    ['#[[ $a #if ]]#', { a: 1 }, ' $a #if '],
    ['x ## comment\ny', {}, 'x y'],
    ['x #* block\ncomment *#y', {}, 'x y'],
    ['#', {}, '#'],
    ['a#b #1', {}, 'a#b #1'],
    ['#endif #elsewhere', {}, '#endif #elsewhere'],
  ])('%s', (src, b, out) => expect(r(src, b)).toBe(out))
})

describe('literals and #set', () => {
  it.each([
    ['#set($a = 1)$a', '1'],
    ['#set($a = -3)$a', '-3'],
    ['#set($a = 1.50)$a', '1.5'],
    ['#set($a = 2.0)$a', '2.0'],
    ['#set($a = "x$b")$a', 'xy'],
    ["#set($a = 'x$b')$a", 'x$b'],
    ['#set($a = [1, "two", 3.0])$a', '[1, two, 3.0]'],
    ['#set($a = {"k": $b, "n": [1]})$a', '{k=y, n=[1]}'],
    ['#set($a = [1..4])$a', '[1, 2, 3, 4]'],
    ['#set($a = [3..1])$a', '[3, 2, 1]'],
    ['#set($a = true)#set($c = !$a)$a $c', 'true false'],
    ['#set($m = {})#set($m.k = 1)#set($m["j"] = 2)$m', '{k=1, j=2}'],
    ['#set($l = [1, 2])#set($l[0] = 9)$l', '[9, 2]'],
    ['#set($a = 1)#set($a = $nope)$a', '1'],
    ['#set($s = "a\\nb")$s', 'a\\nb'],
    ['#set( $a = "multi" )$a', 'multi'],
    ['#{set}($a = 5)$a', '5'],
  ])('%s', (src, out) => expect(r(src, { b: 'y' })).toBe(out))
})

describe('operators and numbers', () => {
  it.each([
    ['#set($x = 7 / 2)$x', '3'],
    ['#set($x = -7 / 2)$x', '-3'],
    ['#set($x = 7.0 / 2)$x', '3.5'],
    ['#set($x = 7 % 3)$x', '1'],
    ['#set($x = 2 * 3 + 1)$x', '7'],
    ['#set($x = 2 * (3 + 1))$x', '8'],
    ['#set($x = 1.5 + 1)$x', '2.5'],
    ['#set($x = 0.1 + 0.2)$x', '0.30000000000000004'],
    ['#set($x = 1 / 0)[$x]', '[]'],
    ['#set($x = "a" + 1)$x', 'a1'],
    ['#set($x = 10000000.0)$x', '1.0E7'],
    ['#set($x = 0.0001 * 1)$x', '1.0E-4'],
    ['#if(1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3)y#end', 'y'],
    ['#if(1 lt 2 and 2 le 2 and 3 gt 2 and 3 ge 3)y#end', 'y'],
    ['#if(1 == 1.0)y#end', 'y'],
    ['#if("1" == 1)y#end', 'y'],
    ['#if(1 eq 2 or not false)y#end', 'y'],
    ['#if(1 != 2 && 1 ne 2)y#end', 'y'],
    ['#if(!($a == "x"))y#{else}n#end', 'n'],
    ['#if("a" < "b")y#{else}n#end', 'n'],
    ['#if($nope == "")y#end', 'y'],
    ['#if($nope == $nope2)y#end', 'y'],
    ['#if($nope != "x")y#end', 'y'],
    ['#if("")e#end#if(0)z#end', 'ez'],
    ['#if($nope)y#{else}n#end', 'n'],
    ['#if([1] == [1])y#end', 'y'],
  ])('%s', (src, out) => expect(r(src, { a: 'x' })).toBe(out))
})

describe('directives', () => {
  it.each([
    ['#if(false)a#elseif(true)b#else c#end', 'b'],
    ['#if(false)a#elseif(false)b#{else}c#end', 'c'],
    ['#foreach($i in [1, 2, 3])$i#end', '123'],
    ['#foreach($i in [1, 2, 3])$foreach.index$foreach.count$velocityCount#end', '011122233'],
    ['#foreach($i in [1, 2])$foreach.first$foreach.last#end', 'truefalsefalsetrue'],
    ['#foreach($i in [1, 2])#foreach($j in [1, 2])$foreach.parent.count$foreach.count#end#end', '11122122'],
    ['#foreach($i in [1..5])#if($i == 3)#break#end$i#end', '12'],
    ['#foreach($v in {"a": 1, "b": 2})$v#end', '12'],
    ['#set($m = {"a": 1})#foreach($e in $m.entrySet())$e.key=$e.value#end', 'a=1'],
    ['#foreach($i in $nope)x#end', ''],
    ['#set($i = "keep")#foreach($i in [1])#end$i', 'keep'],
    ['a#stop b', 'a'],
    ['#macro(m $x $y)[$x|$y]#end#m(1 "two")#m(3, 4)', '[1|two][3|4]'],
    ['#m2("a")#macro(m2 $p)<$p>#end', '<a>'],
    ['#macro(outer $x)#inner($x)#end#macro(inner $y)($y)#end#outer(5)', '(5)'],
    ['#unknown("x")', '#unknown("x")'],
    ['#define($d)D=$v#end#set($v = 1)$d #set($v = 2)$d', 'D=1 D=2'],
    ['#set($s = "#if(true)in#end")$s', 'in'],
  ])('%s', (src, out) => expect(r(src)).toBe(out))

  it('stops #foreach after 1,000 iterations (API Gateway quota), configurable', () => {
    expect(r('#foreach($i in [1..2000])#set($n = $i)#end$n')).toBe('1000')
    const t = compileTemplate('#foreach($i in $l)x#end', { maxForeachIterations: 3 })
    expect(t({ l: [1, 2, 3, 4, 5] })).toBe('xxx')
  })

  it('limits macro recursion', () => {
    expect(() => r('#macro(f $n)#f($n)#end#f(1)')).toThrow(VtlError)
  })
})

describe('whitespace (Velocity 1.7)', () => {
  it.each([
    ['a\n#set($x = 1)\nb', 'a\nb'],
    ['a\n  #set($x = 1)\nb', 'a\nb'],
    ['#if(true)\nyes\n#end\nafter', 'yes\nafter'],
    ['  #if(true)\n  yes\n  #end\n', '    yes\n  '],
    ['#foreach($i in [1, 2])\n$i\n#end\n', '1\n2\n'],
    ['#if(true)   \nx#end', 'x'],
    ['#if(true) x #end y', ' x  y'],
    ['#if(true)\r\nx\r\n#end\r\n', 'x\r\n'],
    ['a ## c\nb', 'a b'],
    ['#macro(m)M#end\n#m()\nz', 'Mz'],
  ])('%j', (src, out) => expect(r(src)).toBe(out))
})

describe('Java methods', () => {
  it.each([
    ['$s.length() $s.isEmpty() $s.toUpperCase() $s.toLowerCase()', 'Hello World', '11 false HELLO WORLD hello world'],
    ['$s.contains("lo W") $s.indexOf("o") $s.lastIndexOf("o") $s.indexOf("o", 5)', 'Hello World', 'true 4 7 7'],
    ['$s.substring(6) $s.substring(0, 5) $s.charAt(1)', 'Hello World', 'World Hello e'],
    ['[$s.trim()] $s.startsWith("  H") $s.endsWith("d ")', '  Hello World ', '[Hello World] true true'],
    ['$s.equals("abc") $s.equalsIgnoreCase("ABC") $s.compareTo("abd")', 'abc', 'true true -1'],
    ['$s.replace("a", "b") $s.replace("", "-")', 'aa', 'bb -a-a-'],
    ['$s.replaceAll("[0-9]+", "#") $s.replaceFirst("\\d", "X")', 'a1b22c333', 'a#b#c# aXb22c333'],
    ['$s.replaceAll("(\\w+)@(\\w+)", "$2 at $1")', 'me@host', 'host at me'],
    ['$s.matches("[a-z]+") $s.matches("[a-z]")', 'abc', 'true false'],
    ['$s.split(",") $s.split(",").size() $s.split(",", -1).size()', 'a,b,,', '[a, b] 2 4'],
    ['$s.split("")', 'abc', '[a, b, c]'],
    ['$s.concat("!") $s.hashCode()', 'hi', 'hi! 3329'],
    ['$s.replaceAll("\\s+", "_")', 'a \t\nb', 'a_b'],
    ['$s.replaceAll("\\Q.*\\E", "!")', 'a.*b', 'a!b'],
    ['$s.matches("(?i)ABC")', 'abc', 'true'],
  ])('%s', (src, s, out) => expect(r(src, { s })).toBe(out))

  it.each([
    ['#set($l = [])$l.add(1)$l.add(2)$l.size() $l $l.get(1) $l.contains(2) $l.indexOf(2)', 'truetrue2 [1, 2] 2 true 1'],
    ['#set($l = [1, 2, 3])$l.remove(0) $l #set($x = $l.remove("nope"))$x', '1 [2, 3] false'],
    ['#set($l = [1, 2, 3])$l.subList(1, 3) $l.isEmpty()', '[2, 3] false'],
    ['#set($m = {"a": 1})$m.put("b", 2)$m.put("a", 3) $m $m.keySet() $m.values() $m.size()', '1 {a=3, b=2} [a, b] [3, 2] 2'],
    ['#set($m = {"a": 1})$m.containsKey("a") $m.containsKey("z") $m.get("a") $m.remove("a") $m', 'true false 1 1 {}'],
    ['#set($m = {"a": 1})#foreach($e in $m.entrySet())$e.getKey()=$e.getValue() $e#end', 'a=1 a=1'],
    ['#set($n = 5)$n.toString() $n.doubleValue() #set($d = 2.5)$d.intValue()', '5 5.0 2'],
    ['$u.unknownMethod() [$u.nope]', ' []'],
  ])('%s', (src, out) => expect(r(src, { u: 'x' })).toBe(out))

  it('throws VTL_RUNTIME for calls Java would reject', () => {
    for (const src of ['$s.substring(9)', '#set($l = [1])$l.get(5)', '$s.replaceAll("[", "")', '$s.replaceAll("a", "$9")']) {
      let err: unknown
      try {
        r(src, { s: 'abc' })
      } catch (e) {
        err = e
      }
      expect(err, src).toBeInstanceOf(VtlError)
      expect((err as VtlError).code).toBe('VTL_RUNTIME')
    }
  })
})

describe('errors', () => {
  it.each([
    ['#if($a', 1, 7],
    ['line one\n  #foreach($i [1])\n#end', 2, 15],
    ['#if(true)x', 1, 1],
    ['#end', 1, 1],
    ['#else', 1, 1],
    ['#set($a = )', 1, 11],
    ['#* never closed', 1, 1],
    ['#[[ never closed', 1, 1],
    ['#set($a = "open)', 1, 11],
    ['$a.b(1,', 1, 8],
    ['#foreach($i in [1])#else#end', 1, 20],
    ['#macro()#end', 1, 8],
  ])('%j fails at %i:%i', (src, line, column) => {
    let err: unknown
    try {
      compileTemplate(src)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(VtlError)
    expect((err as VtlError).code).toBe('VTL_SYNTAX')
    expect([(err as VtlError).line, (err as VtlError).column]).toEqual([line, column])
  })

  it('rejects templates over 300 KB', () => {
    expect(() => compileTemplate('é'.repeat(160 * 1024))).toThrow(expect.objectContaining({ code: 'VTL_TEMPLATE_TOO_LARGE' }))
    expect(() => compileTemplate('x'.repeat(10), { maxTemplateBytes: 5 })).toThrow(VtlError)
  })

  it('turns a throwing binding into VTL_RUNTIME', () => {
    expect(() =>
      r('$f.go()', {
        f: {
          go: () => {
            throw new TypeError('boom')
          },
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'VTL_RUNTIME' }))
  })
})

describe('list printing in mapping templates', () => {
  it('payload lists print as JSON, template-built lists as Java', async () => {
    const { compileMappingTemplate } = await import('@gatehousejs/vtl')
    const t = compileMappingTemplate(
      "#set($l = [1, 'a'])$l $input.path('$.a') $input.path('$').keySet() $input.path('$.s').split(',') #set($x = $input.path('$.a'))#set($d = $x.add(3))$x",
    )
    expect(t({ body: '{"a":[1,"b"],"s":"p,q"}' }).body).toBe('[1, a] [1,"b"] [a, s] [p, q] [1,"b",3]')
  })
})

describe('hostile templates', () => {
  it('deep nesting fails as VtlError, not a stack overflow', () => {
    for (const src of ['#if(true)'.repeat(20000), `#set($a = ${'('.repeat(20000)}1${')'.repeat(20000)})`, `$a${'.b'.repeat(50000)}`]) {
      let err: unknown
      try {
        compileTemplate(src)({})
      } catch (e) {
        err = e
      }
      if (err !== undefined) expect(err).toBeInstanceOf(VtlError)
    }
  })

  it('runaway string growth fails as VtlError', () => {
    expect(() => r('#set($s = "xxxxxxxxxxxxxxxx")#foreach($i in [1..40])#set($s = "$s$s")#end$s.length()')).toThrow(VtlError)
  })
})

describe('payload numbers and key order as Java sees them', () => {
  it.each([
    ['{"b":1,"2":3}', '{b=1, 2=3} {"b":1,"2":3}'],
    ['[1e3, 12345678901234567, 5, 2.50]', '[1000.0,12345678901234567,5,2.5] [1000.0,12345678901234567,5,2.5]'],
    ['{"a":1.0,"s":"1e5"}', '{a=1.0, s=1e5} {"a":1.0,"s":"1e5"}'],
    ['{"id":1234567890123456789}', '{id=1234567890123456789} {"id":1234567890123456789}'],
  ])('%s', async (body, out) => {
    const { compileMappingTemplate } = await import('@gatehousejs/vtl')
    expect(compileMappingTemplate("$input.path('$') $input.json('$')")({ body }).body).toBe(out)
  })
})
