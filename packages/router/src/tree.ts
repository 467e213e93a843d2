/**
 * The lookup structure: one segment tree per request method, each holding that method's routes and the `ANY`
 * routes, so a node answers with a single entry (exact method first, else `ANY`) and a lookup never filters
 * methods while walking. Static children are matched by comparing characters in place, so a lookup neither
 * slices nor hashes the path to walk it.
 */
import type { MatchFactory } from './params'

/** What a matched route carries into the result. */
export interface Entry<T> {
  readonly value: T
  readonly route: { method: string; path: string; value: T }
  /** Parameter names in path order; a greedy name, if any, is last. */
  readonly names: readonly string[]
  /** Builds the result of a hit from the captured offsets (see params.ts); null for routes without parameters. */
  readonly makeMatch: MatchFactory<T> | null
  /** Frozen result shared by every hit of a route without parameters, so such a hit allocates nothing. */
  readonly shared: { readonly value: T; readonly params: Readonly<Record<string, string>>; readonly route: Entry<T>['route'] } | null
}

// Above this many static children a node indexes them by first character instead of scanning the list.
const INDEX_THRESHOLD = 4

// A class keeps every node the same shape, so the lookup loop stays monomorphic.
export class LookupNode<T> {
  /** Static segment text leading to this node (empty for the root and for parameter nodes). */
  label = ''
  /** Static children, scanned in order when few. */
  statics: LookupNode<T>[] = []
  /** Static children by first char code (0-127), once there are many; null otherwise. */
  index: (LookupNode<T>[] | undefined)[] | null = null
  /** `{param}` child. */
  param: LookupNode<T> | null = null
  /** `{greedy+}` child; it is always a leaf. */
  greedy: LookupNode<T> | null = null
  /** The route ending here: the exact-method route if any, else the `ANY` route. */
  entry: Entry<T> | null = null
  /** Whether `entry` is an `ANY` route (an exact-method route replaces it). */
  entryIsAny = false

  staticChild(label: string): LookupNode<T> {
    for (const child of this.statics) if (child.label === label) return child
    const child = new LookupNode<T>()
    child.label = label
    this.statics.push(child)
    return child
  }

  /** Called once after all routes are in: builds the first-character index where it pays. */
  seal(): void {
    if (this.statics.length > INDEX_THRESHOLD) {
      const index: (LookupNode<T>[] | undefined)[] = new Array(128).fill(undefined)
      const rest: LookupNode<T>[] = []
      for (const child of this.statics) {
        const c = child.label.charCodeAt(0)
        if (c < 128) (index[c] ??= []).push(child)
        else rest.push(child)
      }
      this.index = index
      // Labels starting outside ASCII (never produced by API Gateway templates) stay in the scanned list.
      this.statics = rest
    }
    for (const child of this.statics) child.seal()
    if (this.index !== null) for (const bucket of this.index) if (bucket !== undefined) for (const c of bucket) c.seal()
    this.param?.seal()
  }
}

const SLASH = 47

/** Whether `label` is the whole segment of `path` starting at `pos` (segments end at `/` or `end`). */
function isSegment(path: string, pos: number, end: number, label: string): boolean {
  const len = label.length
  const next = pos + len
  // The segment boundary first: it rejects most wrong labels of another length with one read.
  if (next > end || (next !== end && path.charCodeAt(next) !== SLASH)) return false
  for (let i = 1; i < len; i++) {
    if (path.charCodeAt(pos + i) !== label.charCodeAt(i)) return false
  }
  return true
}

// The lookup in progress. Held in one constant object (not passed down each recursive call, and not module-level
// `let`s, whose every read may carry a temporal-dead-zone check); safe because a lookup is synchronous and calls
// no user code, so it is never re-entered.
const S = { path: '', end: 0, caps: new Int32Array(2) as Int32Array, greedy: true }

/**
 * The most specific entry for the path section `path[pos..end)` (pos just after the leading `/`), or null.
 * `caps` receives the start/end offsets of each parameter along the successful branch; `greedyOk` false skips
 * greedy routes (for HTTP APIs' "full match before greedy match").
 */
export function lookup<T>(
  root: LookupNode<T>,
  path: string,
  pos: number,
  end: number,
  caps: Int32Array,
  greedyOk: boolean,
): Entry<T> | null {
  S.path = path
  S.end = end
  S.caps = caps
  S.greedy = greedyOk
  return walk(root, pos, 0)
}

// Depth-first in precedence order (literal, then parameter, then greedy), returning the first entry found: the
// most specific route. Recursion happens only at nodes that leave an alternative to come back to; a descent with
// nothing to backtrack to just loops (and records a parameter's offsets before descending, since a failure
// below then fails this whole call anyway).
function walk<T>(node: LookupNode<T>, pos: number, depth: number): Entry<T> | null {
  const path = S.path
  const end = S.end
  const greedyOk = S.greedy
  const caps = S.caps
  for (;;) {
    const c = path.charCodeAt(pos)
    if (c !== SLASH) {
      let child: LookupNode<T> | null = null
      const index = node.index
      if (index !== null && c < 128) {
        const bucket = index[c]
        if (bucket !== undefined) {
          for (let i = 0; i < bucket.length; i++) {
            if (isSegment(path, pos, end, bucket[i]!.label)) {
              child = bucket[i]!
              break
            }
          }
        }
      }
      if (child === null) {
        const statics = node.statics
        for (let i = 0; i < statics.length; i++) {
          const s = statics[i]!
          if (s.label.charCodeAt(0) === c && isSegment(path, pos, end, s.label)) {
            child = s
            break
          }
        }
      }
      const param = node.param
      const greedyAlt = greedyOk && node.greedy !== null
      if (child !== null) {
        const next = pos + child.label.length
        if (param === null && !greedyAlt) {
          if (next === end) return child.entry
          node = child
          pos = next + 1
          continue
        }
        const e = next === end ? child.entry : walk(child, next + 1, depth)
        if (e !== null) return e
      }
      if (param !== null) {
        let segEnd = pos + 1
        while (segEnd < end && path.charCodeAt(segEnd) !== SLASH) segEnd++
        if (!greedyAlt) {
          caps[2 * depth] = pos
          caps[2 * depth + 1] = segEnd
          if (segEnd === end) return param.entry
          node = param
          pos = segEnd + 1
          depth++
          continue
        }
        const e = segEnd === end ? param.entry : walk(param, segEnd + 1, depth + 1)
        if (e !== null) {
          caps[2 * depth] = pos
          caps[2 * depth + 1] = segEnd
          return e
        }
      }
    }
    // An empty segment (inner `//`) matches no literal and no parameter, only a greedy remainder, which keeps it.
    if (greedyOk) {
      const greedy = node.greedy
      if (greedy !== null && greedy.entry !== null) {
        caps[2 * depth] = pos
        caps[2 * depth + 1] = end
        return greedy.entry
      }
    }
    return null
  }
}
