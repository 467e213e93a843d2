/**
 * The keyword table: [keyword, handler, dialects]. Order is the order checks run in (cheap type tests first).
 */
import type { Draft } from '../types'
import { contains, items, items2020, maxItems, minItems, prefixItems, uniqueItems } from './array'
import { allOf, anyOf, ifThenElse, not, oneOf } from './combine'
import type { KeywordHandler } from './context'
import { constKeyword, enumKeyword } from './enum'
import { exclusiveMaximum, exclusiveMinimum, maximum, minimum, multipleOf } from './number'
import {
  additionalProperties,
  dependencies,
  dependentRequired,
  dependentSchemas,
  maxProperties,
  minProperties,
  patternProperties,
  properties,
  propertyNames,
  required,
} from './object'
import { dynamicRef, ref2020 } from './ref'
import { format, maxLength, minLength, pattern } from './string'
import { type } from './type'
import { unevaluatedItems, unevaluatedProperties } from './unevaluated'

const ALL: Draft[] = [4, 7, 2020]
const D7: Draft[] = [7, 2020]
const OLD: Draft[] = [4, 7]
const NEW: Draft[] = [2020]

export const KEYWORDS: Array<[string, KeywordHandler, Draft[]]> = [
  ['type', type, ALL],
  ['enum', enumKeyword, ALL],
  ['const', constKeyword, D7],
  ['minimum', minimum, ALL],
  ['maximum', maximum, ALL],
  ['exclusiveMinimum', exclusiveMinimum, D7],
  ['exclusiveMaximum', exclusiveMaximum, D7],
  ['multipleOf', multipleOf, ALL],
  ['minLength', minLength, ALL],
  ['maxLength', maxLength, ALL],
  ['pattern', pattern, ALL],
  ['format', format, ALL],
  ['required', required, ALL],
  ['minProperties', minProperties, ALL],
  ['maxProperties', maxProperties, ALL],
  ['properties', properties, ALL],
  ['patternProperties', patternProperties, ALL],
  ['additionalProperties', additionalProperties, ALL],
  // 2020-12 still honours draft-07 `dependencies` for compatibility.
  ['dependencies', dependencies, ALL],
  ['dependentRequired', dependentRequired, NEW],
  ['dependentSchemas', dependentSchemas, NEW],
  ['propertyNames', propertyNames, D7],
  ['minItems', minItems, ALL],
  ['maxItems', maxItems, ALL],
  ['items', items, OLD],
  ['prefixItems', prefixItems, NEW],
  ['items', items2020, NEW],
  ['uniqueItems', uniqueItems, ALL],
  ['contains', contains, D7],
  ['$ref', ref2020, NEW],
  ['$dynamicRef', dynamicRef, NEW],
  ['allOf', allOf, ALL],
  ['anyOf', anyOf, ALL],
  ['oneOf', oneOf, ALL],
  ['not', not, ALL],
  ['if', ifThenElse, D7],
  ['unevaluatedProperties', unevaluatedProperties, NEW],
  ['unevaluatedItems', unevaluatedItems, NEW],
]
