/**
 * A lazily built DFA for yes/no questions (test, matchesWhole). A DFA state is the set of program counters just
 * after a consumed character (the "kernel") plus what assertions need to know about that character; its
 * transition on the next code point is computed once, on first use, by following the zero-width paths with that
 * next code point known (so `$`, `\b` and Java's line anchors resolve). Each input character then costs one
 * table lookup. The cache is bounded (MAX_STATES); past it, it is dropped and rebuilt, so a hostile input costs
 * at most one state construction, O(program size), per character: the Pike VM's bound.
 */
import { assertCtx, bitsOf, B_START } from './assert'
import { budgetError } from './errors'
import { Op, type Program } from './program'
import { stats } from './stats'

/** States kept per DFA before the cache is dropped (their ASCII tables: 512 bytes each). */
export const MAX_STATES = 1_000
/** Program counters kept across all cached states' kernels before the cache is dropped (large programs). */
export const MAX_KERNEL_ENTRIES = 100_000
/** Cached transitions per state on code points outside ASCII. */
const MAX_OTHER = 256

/** Can this program run on the DFA? Java's `$` looks two characters ahead; those programs use the Pike VM. */
export function dfaSupports(prog: Program): boolean {
  for (let pc = 0; pc < prog.op.length; pc++) {
    if (prog.op[pc] === Op.Assert && assertCtx(prog.a[pc]!, 0, 0) === null) return false
  }
  return true
}

export class Dfa {
  // State i: kernels[i], prevs[i]; its ASCII transitions at table[i * 128 + c] (2 × next state + 1 if the match
  // was reached before c; -1 unknown), others in other[i]; eof[i]: match at the end of input (-1 unknown).
  private kernels: Int32Array[] = []
  private prevs: number[] = []
  private other: Array<Map<number, number> | null> = []
  private eof = new Int8Array(64)
  private table = new Int32Array(64 * 128).fill(-1)
  private index = new Map<string, number>()
  private start = 0
  private kernelEntries = 0
  /** The state with an empty kernel in whole mode (nothing can match any more), or -1. */
  private dead = -1
  private readonly usesContext: boolean
  private readonly tests: ReadonlyArray<(cp: number) => boolean>
  private readonly mark: Int32Array
  private gen = 0
  /** The cache was dropped while stepping: the start state must be interned again before the next run. */
  private dropped = false
  /** This run's step limit and the state-building work spent against it (the per-character loop is O(1)). */
  private limit = Infinity
  private spent = 0

  /** `search`: match anywhere (test); else the whole input from 0 (matchesWhole). */
  constructor(
    private readonly prog: Program,
    private readonly search: boolean,
  ) {
    this.usesContext = prog.op.some((o) => o === Op.Assert)
    this.tests = prog.sets.map((s) => s.test)
    this.mark = new Int32Array(prog.op.length)
    this.start = this.intern(Int32Array.of(0), this.usesContext ? B_START : 0)
  }

  private intern(kernel: Int32Array, prev: number): number {
    const key = `${kernel.join(',')}|${prev}`
    const hit = this.index.get(key)
    if (hit !== undefined) return hit
    if (this.kernels.length >= MAX_STATES || this.kernelEntries + kernel.length > MAX_KERNEL_ENTRIES) {
      // Drop the cache; the run in progress continues from the state created below.
      this.kernels = []
      this.prevs = []
      this.other = []
      this.index = new Map()
      this.table.fill(-1)
      this.eof.fill(-1)
      this.dead = -1
      this.kernelEntries = 0
      this.dropped = true
    }
    this.kernelEntries += kernel.length
    const i = this.kernels.length
    if ((i + 1) * 128 > this.table.length) {
      const table = new Int32Array(this.table.length * 2).fill(-1)
      table.set(this.table)
      this.table = table
      const eof = new Int8Array(this.eof.length * 2).fill(-1)
      eof.set(this.eof)
      this.eof = eof
    }
    this.kernels.push(kernel)
    this.prevs.push(prev)
    this.other.push(null)
    this.eof[i] = -1
    this.index.set(key, i)
    if (!this.search && kernel.length === 0) this.dead = i
    return i
  }

  /**
   * Follow zero-width paths from state s's kernel with the next code point `c` (-1: end of input). Returns
   * whether the match is reached; fills `consume` with the character instructions reached.
   */
  private closure(s: number, c: number, consume: number[]): boolean {
    const { op, a, b } = this.prog
    const next = bitsOf(c)
    const prev = this.prevs[s]!
    const kernel = this.kernels[s]!
    const mark = this.mark
    const gen = ++this.gen
    const stack: number[] = []
    for (let i = kernel.length - 1; i >= 0; i--) stack.push(kernel[i]!)
    let matched = false
    let work = 0
    while (stack.length > 0) {
      const pc = stack.pop()!
      work++
      if (mark[pc] === gen) continue
      mark[pc] = gen
      switch (op[pc]) {
        case Op.Char:
          consume.push(pc)
          break
        case Op.Match:
          matched = true
          break
        case Op.Jmp:
          stack.push(a[pc]!)
          break
        case Op.Split:
          stack.push(b[pc]!, a[pc]!)
          break
        case Op.Assert:
          if (assertCtx(a[pc]!, prev, next) === true) stack.push(pc + 1)
          break
        case Op.Progress:
          // Both outcomes (loop again, leave) are possible for some thread: same strings either way.
          stack.push(b[pc]!, pc + 1)
          break
        default:
          // Save, Clear, Check: captures and the empty-iteration check do not change which strings match.
          stack.push(pc + 1)
      }
    }
    stats.steps += work
    this.spent += work
    return matched
  }

  /** Compute and cache the transition of state s on code point c; returns its encoded value. */
  private step(s: number, c: number): number {
    // Only building states costs more than a table load: the limit is checked here, off the hot loop.
    if (this.spent > this.limit) throw budgetError(this.limit)
    const consume: number[] = []
    const matched = this.closure(s, c, consume)
    const next = new Set<number>()
    for (const pc of consume) if (this.tests[this.prog.a[pc]!]!(c)) next.add(pc + 1)
    if (this.search) next.add(0)
    const kernel = Int32Array.from([...next].sort((x, y) => x - y))
    const before = this.dropped
    const t = this.intern(kernel, this.usesContext ? bitsOf(c) : 0) * 2 + (matched ? 1 : 0)
    // When intern just dropped the cache, s is gone: nothing to record on it.
    if (this.dropped && !before) return t
    if (c < 128) this.table[s * 128 + c] = t
    else {
      let m = this.other[s]!
      if (m === null) this.other[s] = m = new Map()
      if (m.size < MAX_OTHER) m.set(c, t)
    }
    return t
  }

  private atEof(s: number): boolean {
    if (this.eof[s]! < 0) this.eof[s] = this.closure(s, -1, []) ? 1 : 0
    return this.eof[s] === 1
  }

  /** Run on `input`: test (search) or matchesWhole. Throws `REGEX_BUDGET` past `limit` steps of state building. */
  run(input: string, limit = Infinity): boolean {
    this.limit = limit
    this.spent = 0
    if (this.dropped) {
      this.dropped = false
      this.start = this.intern(Int32Array.of(0), this.usesContext ? B_START : 0)
    }
    return this.search ? this.runSearch(input) : this.runWhole(input)
  }

  /** A code point at or above 128 whose first unit `c` was read at i - 1: its transition from s. */
  private wide(s: number, c: number, input: string, i: number): number {
    if (c >= 0xd800 && c <= 0xdbff && i < input.length) {
      const d = input.charCodeAt(i)
      if (d >= 0xdc00 && d <= 0xdfff) c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
    }
    return this.other[s]?.get(c) ?? this.step(s, c)
  }

  // The two loops below are the hot path: one table load per ASCII character.
  private runSearch(input: string): boolean {
    let s = this.start
    let table = this.table
    const len = input.length
    let i = 0
    while (i < len) {
      const c = input.charCodeAt(i++)
      let t = c < 128 ? table[(s << 7) | c]! : -2
      if (t < 0) {
        if (t === -2) {
          t = this.wide(s, c, input, i)
          if (c >= 0xd800 && c <= 0xdbff && i < len && (input.charCodeAt(i) & 0xfc00) === 0xdc00) i++
        } else t = this.step(s, c)
        table = this.table
      }
      if ((t & 1) === 1) {
        stats.steps += i
        return true
      }
      s = t >> 1
    }
    stats.steps += i
    return this.atEof(s)
  }

  private runWhole(input: string): boolean {
    let s = this.start
    let table = this.table
    let dead = this.dead
    const len = input.length
    let i = 0
    while (i < len) {
      const c = input.charCodeAt(i++)
      let t = c < 128 ? table[(s << 7) | c]! : -2
      if (t < 0) {
        if (t === -2) {
          t = this.wide(s, c, input, i)
          if (c >= 0xd800 && c <= 0xdbff && i < len && (input.charCodeAt(i) & 0xfc00) === 0xdc00) i++
        } else t = this.step(s, c)
        table = this.table
        dead = this.dead
      }
      s = t >> 1
      if (s === dead) break
    }
    stats.steps += i
    return s !== dead && this.atEof(s)
  }
}
