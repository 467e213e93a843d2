/**
 * `gatehouse export <file>`: build the file's API (no code is run) and export its native definition.
 */
import { stringify } from 'yaml'
import { buildApis, type BuildOptions } from '../build'
import { exportApi, type ExportExtension } from './index'

/** What `gatehouse export` is given. */
export interface ExportCommandOptions extends Pick<BuildOptions, 'file' | 'stage' | 'parameters' | 'stageVariables'> {
  format: 'oas30' | 'swagger'
  /** Comma-separated: `integrations,authorizers,apigateway` (default `apigateway`: all). */
  extensions?: string
  /** The API of a template with several (its logical id); default: the only one. */
  api?: string
  /** `json` (default) or `yaml`. */
  output?: 'json' | 'yaml'
}

const EXTENSIONS: readonly ExportExtension[] = ['integrations', 'authorizers', 'apigateway']

/**
 * Parse `--extensions`.
 *
 * @example
 * ```ts
 * parseExtensions('integrations,authorizers') // ['integrations', 'authorizers']
 * ```
 */
export function parseExtensions(text: string): ExportExtension[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const e of list) {
    if (!EXTENSIONS.includes(e as ExportExtension)) throw new Error(`--extensions: unknown extension "${e}" (${EXTENSIONS.join(', ')})`)
  }
  return list as ExportExtension[]
}

/**
 * The exported document's text.
 *
 * @example
 * ```ts
 * const text = await exportCommand({ file: 'template.yaml', format: 'oas30' })
 * JSON.parse(text).openapi // '3.0.1'
 * ```
 */
export async function exportCommand(options: ExportCommandOptions): Promise<string> {
  const built = await buildApis({ ...options, stubFunctions: true })
  const names = built.apis.map((a) => a.name)
  const chosen = options.api === undefined ? built.apis : built.apis.filter((a) => a.name === options.api)
  if (chosen.length !== 1) {
    throw new Error(
      options.api === undefined
        ? `${options.file} has ${names.length} APIs (${names.join(', ')}): choose one with --api`
        : `${options.file} has no API ${options.api} (${names.join(', ')})`,
    )
  }
  const { gateway, stage } = chosen[0] as (typeof built.apis)[number]
  const doc = exportApi(gateway.definition, {
    format: options.format,
    apiType: gateway.apiType,
    extensions: options.extensions === undefined ? ['apigateway'] : parseExtensions(options.extensions),
    stage: stage.stageName,
  })
  return options.output === 'yaml' ? stringify(doc) : JSON.stringify(doc, null, 2)
}
