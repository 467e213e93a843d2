/**
 * The parsed pattern compiled to a Thompson NFA program for the Pike VM. Counted repetitions are expanded, so
 * the program size is bounded (MAX_PROGRAM) to keep both compiling and matching bounded: matching costs at most
 * (program size) steps per input character.
 */
import type { Node } from './ast'
import type { CharSet } from './charset'
import { RegexError } from './errors'

/**
 * The largest program compiled, in instructions. Matching costs up to this many steps per input character.
 *
 * @example
 * import { compileRegex, MAX_PROGRAM, RegexError } from '@gatehousejs/regex'
 * try {
 *   compileRegex('a{100000}')
 * } catch (e) {
 *   if (e instanceof RegexError && e.code === 'REGEX_TOO_LARGE') console.error(`more than ${MAX_PROGRAM} instructions`)
 * }
 */
export const MAX_PROGRAM = 20_000

/**
 * Bound on (capture-writing instructions × capture slots): the Pike VM copies a thread's slots at each write,
 * so this bounds both its extra work and the slot memory one input position can allocate (1M slots, 4 MB).
 * Only patterns with hundreds of capturing groups reach it.
 */
export const MAX_CAPTURE_WORK = 1_000_000

export const enum Op {
  /** Consume one code point of sets[a]. */
  Char,
  /** Continue at a, and (lower priority) at b. */
  Split,
  Jmp,
  /** slots[a] = position. */
  Save,
  /** Zero-width test of kind a. */
  Assert,
  Match,
  /** slots[a..b) = -1: ECMAScript forgets a repeated group's captures at each iteration. */
  Clear,
  /** Fail when slots[a] is the position: an optional iteration that matched empty (ECMAScript's empty check). */
  Check,
  /**
   * Java's rule for an iteration that matched empty: it counts (its captures stay) and the loop ends there.
   * When slots[a] is the position, continue at b (after the loop); else at the next instruction (loop again).
   */
  Progress,
}

export interface Program {
  readonly op: Int32Array
  readonly a: Int32Array
  readonly b: Int32Array
  readonly sets: readonly CharSet[]
  /** Capture slots (2 per group incl. group 0) followed by the empty-check slots. */
  readonly slotCount: number
  readonly groupCount: number
  /** ECMAScript semantics (else Java's). */
  readonly ecma: boolean
}

export interface CompileOptions {
  /** ECMAScript semantics: captures reset per iteration, empty optional iterations fail. */
  readonly ecma: boolean
}

export function compileProgram(node: Node, groupCount: number, options: CompileOptions): Program {
  const c = new Compiler(groupCount, options.ecma)
  c.emit(Op.Save, 0)
  c.node(node)
  c.emit(Op.Save, 1)
  c.emit(Op.Match)
  let writes = 0
  for (const o of c.op) if (o === Op.Save || o === Op.Clear) writes++
  if (writes * c.slots > MAX_CAPTURE_WORK)
    throw new RegexError('REGEX_TOO_LARGE', `too many capturing groups for the program size (${writes} capture writes × ${c.slots} slots)`)
  return {
    op: Int32Array.from(c.op),
    a: Int32Array.from(c.a),
    b: Int32Array.from(c.b),
    sets: c.sets,
    slotCount: c.slots,
    groupCount,
    ecma: options.ecma,
  }
}

function tooLarge(): never {
  throw new RegexError(
    'REGEX_TOO_LARGE',
    `the compiled pattern would exceed ${MAX_PROGRAM} instructions (counted repetitions are expanded)`,
  )
}

/** Can the node match the empty string? */
function nullable(node: Node): boolean {
  switch (node.t) {
    case 'char':
      return false
    case 'seq':
      return node.items.every(nullable)
    case 'alt':
      return node.items.some(nullable)
    case 'group':
      return nullable(node.body)
    case 'repeat':
      return node.min === 0 || nullable(node.body)
    default:
      return true
  }
}

/** Only zero-width assertions, without alternation or repetition (what Java's study calls deterministic). */
function fixedEmpty(node: Node): boolean {
  switch (node.t) {
    case 'empty':
    case 'assert':
      return true
    case 'seq':
      return node.items.every(fixedEmpty)
    case 'group':
      return fixedEmpty(node.body)
    default:
      return false
  }
}

/** The capture groups inside a node: [lowest index, highest index], or null. */
function groupSpan(node: Node): [number, number] | null {
  switch (node.t) {
    case 'group': {
      const inner = groupSpan(node.body)
      if (node.index === 0) return inner
      return [node.index, inner === null ? node.index : Math.max(inner[1], node.index)]
    }
    case 'seq':
    case 'alt': {
      let span: [number, number] | null = null
      for (const item of node.items) {
        const s = groupSpan(item)
        if (s !== null) span = span === null ? s : [Math.min(span[0], s[0]), Math.max(span[1], s[1])]
      }
      return span
    }
    case 'repeat':
      return groupSpan(node.body)
    default:
      return null
  }
}

class Compiler {
  readonly op: number[] = []
  readonly a: number[] = []
  readonly b: number[] = []
  readonly sets: CharSet[] = []
  slots: number
  /** Work done that emits nothing (empty repeated bodies) still counts, so compiling is bounded too. */
  private budget = MAX_PROGRAM
  /** One iteration-start slot per repetition node: its copies run one after another, so they can share it. */
  private readonly iterSlots = new Map<Node, number>()

  /** The slot recording where an iteration of `node` started (only bodies that can match empty need one). */
  private iterSlot(node: Node, body: Node): number {
    if (!nullable(body)) return -1
    const slot = this.iterSlots.get(node) ?? this.slots++
    this.iterSlots.set(node, slot)
    return slot
  }

  constructor(
    groupCount: number,
    private readonly ecma: boolean,
  ) {
    this.slots = 2 * (groupCount + 1)
  }

  emit(op: Op, a = 0, b = 0): number {
    if (--this.budget < 0) tooLarge()
    this.op.push(op)
    this.a.push(a)
    this.b.push(b)
    return this.op.length - 1
  }

  private get pc(): number {
    return this.op.length
  }

  node(n: Node): void {
    switch (n.t) {
      case 'empty':
        return
      case 'char':
        this.sets.push(n.set)
        this.emit(Op.Char, this.sets.length - 1)
        return
      case 'assert':
        this.emit(Op.Assert, n.kind)
        return
      case 'seq':
        for (const item of n.items) this.node(item)
        return
      case 'group':
        if (n.index === 0) return this.node(n.body)
        this.emit(Op.Save, 2 * n.index)
        this.node(n.body)
        this.emit(Op.Save, 2 * n.index + 1)
        return
      case 'alt': {
        const jumps: number[] = []
        for (let i = 0; i < n.items.length; i++) {
          if (i < n.items.length - 1) {
            const split = this.emit(Op.Split, this.pc + 1, 0)
            this.node(n.items[i]!)
            jumps.push(this.emit(Op.Jmp))
            this.b[split] = this.pc
          } else this.node(n.items[i]!)
        }
        for (const j of jumps) this.a[j] = this.pc
        return
      }
      case 'repeat':
        return this.repeat(n, n.body, n.min, n.max, n.greedy)
      default:
        // The parsers refuse these unless backtracking was allowed, and then no program is built.
        throw new RegexError('REGEX_UNSUPPORTED', `${n.t} cannot run in linear time`)
    }
  }

  private split(split: number, body: number, exit: number, greedy: boolean): void {
    this.a[split] = greedy ? body : exit
    this.b[split] = greedy ? exit : body
  }

  private repeat(node: Node, body: Node, min: number, max: number, greedy: boolean): void {
    const span = this.ecma ? groupSpan(body) : null
    const clear = (): void => {
      if (span !== null) this.emit(Op.Clear, 2 * span[0], 2 * span[1] + 2)
    }
    if (min > MAX_PROGRAM) tooLarge()
    // java.util.regex runs `()*`, `(\b(x?)){0,2}`-like repetitions (a capturing group of zero-width content,
    // optional, more than once) at most once and leaves that group unset (its GroupCurly node; groups inside are
    // set). `()?` and `(){0,1}` do set it. Observed on JDK 17.
    if (!this.ecma && min === 0 && max >= 2 && body.t === 'group' && body.index > 0 && fixedEmpty(body))
      return this.repeat(node, { t: 'group', index: 0, body: body.body }, 0, 1, greedy)
    for (let i = 0; i < min; i++) {
      if (--this.budget < 0) tooLarge()
      clear()
      this.node(body)
    }
    if (max === Infinity) {
      const slot = this.ecma ? -1 : this.iterSlot(node, body)
      // ECMAScript: an iteration that matched nothing comes back to the split at the same position, where the
      // VM drops it: that is ECMAScript's empty check, and what keeps `(a*)*` finite. Java: it ends the loop.
      const loop = this.emit(Op.Split)
      const start = this.pc
      if (slot >= 0) this.emit(Op.Save, slot)
      clear()
      this.node(body)
      const progress = slot >= 0 ? this.emit(Op.Progress, slot) : -1
      this.emit(Op.Jmp, loop)
      this.split(loop, start, this.pc, greedy)
      if (progress >= 0) this.b[progress] = this.pc
      return
    }
    if (max - min > MAX_PROGRAM) tooLarge()
    const slot = max > min ? this.iterSlot(node, body) : -1
    // x{0,k} as (x(x(x)?)?)?: skipping one optional copy skips the rest, so every exit goes to the end.
    const exits: number[] = []
    const progress: number[] = []
    for (let i = min; i < max; i++) {
      if (--this.budget < 0) tooLarge()
      const split = this.emit(Op.Split)
      exits.push(split)
      this.split(split, this.pc, 0, greedy)
      if (slot >= 0) this.emit(Op.Save, slot)
      clear()
      this.node(body)
      if (slot >= 0) {
        if (this.ecma) this.emit(Op.Check, slot)
        else progress.push(this.emit(Op.Progress, slot))
      }
    }
    for (const s of exits) {
      if (greedy) this.b[s] = this.pc
      else this.a[s] = this.pc
    }
    for (const p of progress) this.b[p] = this.pc
  }
}
