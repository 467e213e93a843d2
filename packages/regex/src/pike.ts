/**
 * The Pike VM: a breadth-first simulation of the program over the input, one list of threads per position,
 * each thread with its capture slots. A program counter enters a list at most once per position (the first,
 * highest-priority thread to reach it wins, as a backtracking engine would have found that thread first), so a
 * step costs at most the program size and a match costs O(program size × input length) whatever the pattern.
 */
import { assertAt } from './assert'
import { budgetError } from './errors'
import { Op, type Program } from './program'
import { stats } from './stats'

export const enum Mode {
  /** Leftmost match with backtracking priorities, captures returned. */
  Exec,
  /** Any match anywhere. */
  Test,
  /** The whole input from `from` matches. */
  Whole,
}

/**
 * Run `prog` on `input` from `from`. Exec: the winning slots or null; Test/Whole: a non-null array (empty) when
 * there is a match. Throws `REGEX_BUDGET` once more than `limit` steps are taken (checked once per position).
 */
export function pike(prog: Program, input: string, from: number, mode: Mode, limit = Infinity): Int32Array | null {
  const { op, a, b } = prog
  const tests = prog.sets.map((s) => s.test)
  const size = op.length
  const len = input.length
  const needSlots = mode === Mode.Exec || prog.slotCount > 2 * (prog.groupCount + 1)
  let cPc = new Int32Array(size)
  let cSlots: Int32Array[] = new Array<Int32Array>(size)
  let nPc = new Int32Array(size)
  let nSlots: Int32Array[] = new Array<Int32Array>(size)
  let cCount = 0
  let nCount = 0
  let gen = 0
  const stackPc: number[] = []
  const stackSlots: Int32Array[] = []
  let steps = 0
  const none = new Int32Array(prog.slotCount).fill(-1)

  // Java: an iteration's captures survive when it matches empty (the loop ends there), so a thread that has
  // just started a new iteration at this position ("fresh") must not be merged with one that reached the same
  // instruction while finishing the previous iteration. Fresh threads get their own visited marks: at most twice
  // the instructions per position. (ECMAScript fails such iterations, which the plain merge already does.)
  const captureSlots = 2 * (prog.groupCount + 1)
  const freshOnSave = !prog.ecma
  const mark = new Int32Array(2 * size)

  // Follow every zero-width path from pc at pos, in priority order, into the next list (nPc/nSlots).
  // Stack entries are pc * 2 + fresh.
  const add = (pc0: number, slots0: Int32Array, pos: number): void => {
    let sp = 0
    stackPc[sp] = pc0 * 2
    stackSlots[sp++] = slots0
    while (sp > 0) {
      const e = stackPc[--sp]!
      const slots = stackSlots[sp]!
      steps++
      if (mark[e] === gen) continue
      const pc = e >> 1
      const fresh = e & 1
      const o = op[pc]!
      if (o === Op.Check) {
        // Not marked when it fails: a lower-priority thread that did make progress may still pass here.
        if (slots[a[pc]!] === pos) continue
        mark[e] = gen
        stackPc[sp] = (pc + 1) * 2 + fresh
        stackSlots[sp++] = slots
        continue
      }
      if (o === Op.Progress) {
        // Not marked either: the empty and the non-empty outcome lead to different places.
        stackPc[sp] = (slots[a[pc]!] === pos ? b[pc]! : pc + 1) * 2 + fresh
        stackSlots[sp++] = slots
        continue
      }
      mark[e] = gen
      switch (o) {
        case Op.Char:
        case Op.Match:
          nPc[nCount] = pc
          nSlots[nCount++] = slots
          break
        case Op.Jmp:
          stackPc[sp] = a[pc]! * 2 + fresh
          stackSlots[sp++] = slots
          break
        case Op.Split:
          stackPc[sp] = b[pc]! * 2 + fresh
          stackSlots[sp++] = slots
          stackPc[sp] = a[pc]! * 2 + fresh
          stackSlots[sp++] = slots
          break
        case Op.Save: {
          let s = slots
          if (needSlots) {
            s = slots.slice()
            s[a[pc]!] = pos
          }
          stackPc[sp] = (pc + 1) * 2 + (freshOnSave && a[pc]! >= captureSlots ? 1 : fresh)
          stackSlots[sp++] = s
          break
        }
        case Op.Clear: {
          let s = slots
          if (needSlots) {
            s = slots.slice()
            s.fill(-1, a[pc]!, b[pc]!)
          }
          stackPc[sp] = (pc + 1) * 2 + fresh
          stackSlots[sp++] = s
          break
        }
        case Op.Assert:
          if (assertAt(a[pc]!, input, pos)) {
            stackPc[sp] = (pc + 1) * 2 + fresh
            stackSlots[sp++] = slots
          }
          break
      }
    }
  }

  let matched: Int32Array | null = null
  let pos = from
  gen++
  add(0, none, pos)
  for (;;) {
    // Swap: the list just built is the current one.
    ;[cPc, nPc] = [nPc, cPc]
    ;[cSlots, nSlots] = [nSlots, cSlots]
    cCount = nCount
    nCount = 0
    if (cCount === 0 && (matched !== null || mode === Mode.Whole || pos >= len)) break
    const cp = pos < len ? input.codePointAt(pos)! : -1
    const next = pos + (cp > 0xffff ? 2 : 1)
    gen++
    for (let i = 0; i < cCount; i++) {
      const pc = cPc[i]!
      if (op[pc] === Op.Match) {
        if (mode === Mode.Test) return record(steps, none)
        if (mode === Mode.Whole) {
          if (pos === len) return record(steps, none)
          continue
        }
        matched = cSlots[i]!
        break // lower-priority threads lose to this match
      }
      steps++
      if (cp >= 0 && tests[a[pc]!]!(cp)) add(pc + 1, cSlots[i]!, next)
    }
    if (pos >= len) break
    if (steps > limit) {
      stats.steps += steps
      throw budgetError(limit)
    }
    pos = next
    if (matched === null && mode !== Mode.Whole) add(0, none, pos)
  }
  stats.steps += steps
  if (mode !== Mode.Exec) return null
  return matched
}

function record(steps: number, result: Int32Array): Int32Array {
  stats.steps += steps
  return result
}
