/**
 * When may the native RegExp run a pattern after all? Calling it is faster than any engine written in
 * JavaScript, so patterns that provably cannot make a backtracking engine work harder than linearly keep it.
 *
 * The criterion, and why it suffices. Take the program (the Thompson NFA the Pike VM runs). From each point
 * where a character has just been consumed (and from the start), follow every zero-width path; these paths are
 * exactly the choices a backtracking engine can make before it consumes the next character. Call the program
 * DETERMINISTIC when, from every such point, (1) no zero-width path revisits an instruction (no empty loop), (2)
 * no character instruction is reached by two different paths, and (3) the character sets of the instructions
 * reached are pairwise disjoint. Then at any input position at most one path can consume the next character: a
 * backtracking engine's search tree is a single spine of consumed characters, with at each position a bush of
 * zero-width choices bounded by the program (each fails without consuming, or is the spine). Every choice
 * point it returns to on failure offers only paths that fail before consuming. So one attempt from one start
 * position costs O(program × characters consumed), and:
 * - ANCHORED (every path from the start passes `^` without `m`, or `\A`): only the attempt at position 0 gets
 * past its first instruction; the others fail at once. Total O(program × n).
 * - BOUNDED (no loops: every repetition counted, so a match is at most program-size characters long): each
 * attempt costs O(program²); total O(program² × n).
 * matchesWhole runs the pattern sticky at 0 followed by `(?![^])`, which adds only an assertion and anchors it,
 * so it needs DETERMINISTIC alone. Sets known only by predicate (Unicode properties, case folding) count as
 * overlapping everything, and the analysis gives up (not deterministic) past a work budget.
 */
import { Assert } from './ast'
import { Op, type Program } from './program'
import { rangesOverlap } from './charset'

export interface Safety {
  readonly deterministic: boolean
  readonly anchored: boolean
  readonly bounded: boolean
}

const BUDGET = 50_000

export function analyze(prog: Program): Safety {
  const { op, a, b, sets } = prog
  const size = op.length
  let bounded = true
  for (let pc = 0; pc < size; pc++) {
    if ((op[pc] === Op.Jmp || op[pc] === Op.Split) && (a[pc]! <= pc || (op[pc] === Op.Split && b[pc]! <= pc))) bounded = false
  }
  let budget = BUDGET
  let anchored = true
  const onPath = new Uint8Array(size)
  const seen = new Int32Array(size)
  let gen = 0
  // Returns false when the closure from `from` breaks the criterion (or the budget runs out).
  const closure = (from: number, isStart: boolean): boolean => {
    gen++
    const reached: number[] = []
    // Entries: pc * 4 + (anchored so far ? 2 : 0) + (1: leaving pc).
    const stack: number[] = [from * 4]
    while (stack.length > 0) {
      if (--budget < 0) return false
      const e = stack.pop()!
      const pc = e >> 2
      if ((e & 1) === 1) {
        onPath[pc] = 0
        continue
      }
      if (onPath[pc] === 1) return false // (1) an empty loop
      const anch = (e & 2) !== 0
      switch (op[pc]) {
        case Op.Char:
          if (seen[pc] === gen) return false // (2) two paths to one character
          seen[pc] = gen
          reached.push(pc)
          if (isStart && !anch) anchored = false
          continue
        case Op.Match:
          if (isStart && !anch) anchored = false
          continue
      }
      onPath[pc] = 1
      stack.push(e | 1)
      const flag = anch || (op[pc] === Op.Assert && a[pc] === Assert.Start) ? 2 : 0
      if (op[pc] === Op.Split) stack.push(b[pc]! * 4 + flag, a[pc]! * 4 + flag)
      else if (op[pc] === Op.Progress) stack.push(b[pc]! * 4 + flag, (pc + 1) * 4 + flag)
      else if (op[pc] === Op.Jmp) stack.push(a[pc]! * 4 + flag)
      else stack.push((pc + 1) * 4 + flag)
    }
    // (3) pairwise disjoint sets.
    for (let i = 0; i < reached.length; i++) {
      const ri = sets[a[reached[i]!]!]!.ranges
      for (let j = i + 1; j < reached.length; j++) {
        const rj = sets[a[reached[j]!]!]!.ranges
        if (ri === null || rj === null || rangesOverlap(ri, rj)) return false
      }
    }
    return true
  }
  let deterministic = closure(0, true)
  for (let pc = 0; deterministic && pc < size; pc++) if (op[pc] === Op.Char && !closure(pc + 1, false)) deterministic = false
  onPath.fill(0)
  return { deterministic, anchored: deterministic && anchored, bounded }
}
