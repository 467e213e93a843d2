/**
 * `gatehouse sdk <file> --lang ts|js --out <dir>`: build the file's API (no code is run) and write its client.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApis, type BuildOptions } from '../build'
import { generateSdk } from './generate'

/** What `gatehouse sdk` is given. */
export interface SdkCommandOptions extends Pick<BuildOptions, 'file' | 'stage' | 'parameters' | 'stageVariables'> {
  lang: 'ts' | 'js'
  out: string
  /** The API of a template with several (its logical id); default: every API, one file each. */
  api?: string
}

function documentSchemas(doc: Record<string, unknown>): Record<string, Record<string, unknown>> | undefined {
  const components = doc.components as { schemas?: unknown } | undefined
  const schemas = components?.schemas ?? doc.definitions
  return schemas !== null && typeof schemas === 'object' ? (schemas as Record<string, Record<string, unknown>>) : undefined
}

/**
 * Write the client(s); resolves to the files written.
 *
 * @example
 * ```ts
 * await sdkCommand({ file: 'openapi.json', lang: 'ts', out: 'sdk' }) // ['sdk/client.ts']
 * ```
 */
export async function sdkCommand(options: SdkCommandOptions): Promise<string[]> {
  const built = await buildApis({ ...options, stubFunctions: true })
  const apis = options.api === undefined ? built.apis : built.apis.filter((a) => a.name === options.api)
  if (apis.length === 0) throw new Error(`${options.file} has no API ${options.api}`)
  mkdirSync(options.out, { recursive: true })
  const written: string[] = []
  for (const { gateway, name, document } of apis) {
    // HTTP APIs keep no models in the definition: the document's schemas type the client.
    const models = gateway.definition.models ?? (gateway.apiType === 'HTTP' ? documentSchemas(document) : undefined)
    const source = generateSdk(gateway.definition, { lang: options.lang, ...(models ? { models } : {}) })
    const base = apis.length === 1 ? 'client' : `${name.replace(/[^A-Za-z0-9_-]/g, '')}-client`
    const file = join(options.out, `${base}.${options.lang}`)
    writeFileSync(file, source)
    written.push(file)
  }
  return written
}
