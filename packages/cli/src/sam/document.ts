/** Helpers over a template's API documents: globals, definitions (inline or a local file), paths, security schemes. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ACCOUNT_ID, REGION } from '../intrinsics'
import { parseDefinitionText } from '../parse'
import type { Props } from './types'

export interface EventSpec {
  functionId: string
  arn: string
  props: Props
  where: string
}

export function mergeGlobals(global: Props, own: Props): Props {
  const out: Props = { ...global }
  for (const [k, v] of Object.entries(own)) {
    const g = out[k]
    out[k] = isPlainObject(g) && isPlainObject(v) ? mergeGlobals(g, v) : v
  }
  return out
}

export function isPlainObject(v: unknown): v is Props {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function isOpenApi3(doc: Props): boolean {
  return typeof doc.openapi === 'string'
}

export function apiIdOf(ref: unknown, implicit: string): string {
  return typeof ref === 'string' && ref !== '' ? ref : implicit
}

export function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((value ?? {}) as Props).map(([k, v]) => [k, String(v)]))
}

export function definitionOf(p: Props, baseDir: string, files: string[], where: string, warn: (m: string) => void): Props | undefined {
  if (p.DefinitionBody !== undefined) {
    const body = p.DefinitionBody as Props
    if (isPlainObject(body) && 'Fn::Transform' in body) {
      warn(`${where}/DefinitionBody: Fn::Transform (AWS::Include) is not run locally; put the document in DefinitionUri`)
      return undefined
    }
    return structuredClone(body)
  }
  if (p.DefinitionUri !== undefined) {
    if (typeof p.DefinitionUri !== 'string' || p.DefinitionUri.startsWith('s3://')) {
      warn(`${where}/DefinitionUri: only a local file is read; an S3 location is not fetched`)
      return undefined
    }
    const path = resolve(baseDir, p.DefinitionUri)
    files.push(path)
    return parseDefinitionText(readFileSync(path, 'utf8'), path)
  }
  return undefined
}

export function pathsOf(document: Props): Record<string, Record<string, unknown>> {
  return (document.paths ??= {}) as Record<string, Record<string, unknown>>
}

export function methodKey(method: unknown): string {
  const m = String(method ?? 'any').toLowerCase()
  return m === 'any' || m === '*' ? 'x-amazon-apigateway-any-method' : m
}

export function securitySchemesOf(document: Props): Props {
  if (isOpenApi3(document)) {
    const components = (document.components ??= {}) as Props
    return (components.securitySchemes ??= {}) as Props
  }
  return (document.securityDefinitions ??= {}) as Props
}

/** Function ARN as the template's `Fn::GetAtt Fn.Arn` resolves locally. */
export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`
}

/** API Gateway's Lambda invocation URI for a function ARN. */
export function invocationUri(arn: string): string {
  return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`
}
