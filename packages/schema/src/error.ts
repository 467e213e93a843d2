/**
 * The error objects validators return. Most of the cost of a failed validation used to be the message: API
 * Gateway's wording quotes the offending value, so every error rendered values and concatenated strings, even
 * when nobody read the text (a gateway that only counts failures, a test that only checks the keyword). Here
 * an error holds what its message needs and formats it the first time `message` is read.
 */
import type { ValidationError } from './types'

/**
 * Renders the message of one failure site from the one value known only at run time (the schema's part, such
 * as the limit of `minimum` or the allowed types, is bound when the schema compiles).
 */
export type SiteFormatter = (value: unknown) => string

/** The three fields as a plain object: what `JSON.stringify` writes. */
export interface PlainValidationError {
  instancePath: string
  keyword: string
  message: string
}

/**
 * One validation failure, as validators return it. `instancePath` and `keyword` are own data properties;
 * `message` is an accessor on the prototype that formats the text on first read and returns that same string
 * on every later read (it may be assigned). `toJSON` gives `JSON.stringify` all three fields.
 *
 * The value kept for the message is fixed when the error is built: a primitive of the validated document, an
 * array the validator made, or text rendered at once (an object failing `enum`), so mutating the validated
 * document afterwards cannot change a message.
 */
export class LazyValidationError implements ValidationError {
  instancePath: string
  keyword: string
  // Four fields in all, a fixed shape: building one costs about what a plain three-field object does.
  // `#format` is null once the message is text, and `#value` then holds the text.
  #format: SiteFormatter | null
  #value: unknown

  constructor(instancePath: string, keyword: string, format: SiteFormatter | null, value: unknown) {
    this.instancePath = instancePath
    this.keyword = keyword
    this.#format = format
    this.#value = value
  }

  get message(): string {
    // Tools that walk prototypes (test diff printers) may read the accessor on the prototype itself.
    if (this === PROTOTYPE) return undefined as unknown as string
    const format = this.#format
    if (format !== null) {
      this.#value = format(this.#value)
      this.#format = null
    }
    return this.#value as string
  }

  set message(text: string) {
    this.#format = null
    this.#value = text
  }

  /** `{ instancePath, keyword, message }`, a plain object. */
  toJSON(): PlainValidationError {
    return { instancePath: this.instancePath, keyword: this.keyword, message: this.message }
  }

  // console.log / util.inspect show the three fields, as for a plain object (no import of node:util).
  [Symbol.for('nodejs.util.inspect.custom')](): PlainValidationError {
    return this.toJSON()
  }
}

const PROTOTYPE: object = LazyValidationError.prototype

/** An error whose message is known text. */
export function textError(instancePath: string, keyword: string, message: string): LazyValidationError {
  return new LazyValidationError(instancePath, keyword, null, message)
}
