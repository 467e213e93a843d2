/**
 * Every known case where we deliberately render differently from velocityjs, with the rule we follow instead
 * (AWS first, then Velocity 1.7). The README lists the same cases; the differential property test keeps them out
 * of its generator.
 */
import { describe, expect, it } from 'vitest'
import { render as velocityjs } from 'velocityjs'
import { compileTemplate } from '@gatehousejs/vtl'

const b = { s: 'S', l: [1, 2], t: 'abc', m: { a: 1 } }

const cases: [template: string, ours: string, velocityjs: string, why: string][] = [
  ['$nope', '', '$nope', 'AWS: an undefined or null reference renders as nothing'],
  ['"$t-x"', '""', '"$t-x"', 'AWS null rendering; `$t-x` is one identifier in Velocity 1.7 (hyphens allowed)'],
  ['#set($a = 7 / 2)$a', '3', '3.5', 'Velocity: Integer / Integer is integer division'],
  ['#set($a = 1.0)$a', '1.0', '1', 'Velocity: a Double prints as Java prints it'],
  ['#if("")T#end', 'T', '', 'Velocity 1.7: only null and false are false; "" is true'],
  ['#if(0)T#end', 'T', '', 'Velocity 1.7: 0 is true'],
  ['$t.length()', '3', '$t.length()', 'Java String methods (length, equals, contains, isEmpty, matches, …) exist'],
  ['$l.contains(2) $l.isEmpty()', 'true false', '$l.contains(2) $l.isEmpty()', 'Java List methods exist'],
  ['$m.containsKey("a")', 'true', '$m.containsKey("a")', 'Java Map methods exist'],
  ['#foreach($i in $l)$foreach.first#end', 'truefalse', '$foreach.first$foreach.first', '$foreach.first/.last exist (Velocity 1.7)'],
  ['#set($x = "a,b,,")$x.split(",").size()', '2', '4', 'Java split drops trailing empty strings'],
  ['#set($a = "x")#set($a = $nope)$a', 'x', '$a', 'Velocity 1.7: #set with a null right side leaves the left side unchanged'],
  [' #set($a = 1)x', 'x', ' x', 'Velocity 1.7: a #set swallows the indentation before it on its line'],
  ['#if(true)$s#end \nz', 'Sz', 'S \nz', 'Velocity 1.7: #end swallows trailing blanks and its newline'],
  ['#foreach($i in [1..3])#if($i == 2)#break#end$i#end', '1', '12', 'Velocity: #break leaves the loop at once'],
  ['a#stop b', 'a', 'a#stop b', 'Velocity: #stop ends rendering'],
  ['\\$nope', '\\$nope', '$nope', 'Velocity 1.7: escaping an undefined reference keeps the backslash'],
]

describe('deliberate differences from velocityjs', () => {
  it.each(cases)('%j', (template, ours, theirs) => {
    expect(compileTemplate(template)(b)).toBe(ours)
    expect(velocityjs(template, b)).toBe(theirs)
  })
})
