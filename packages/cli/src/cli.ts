#!/usr/bin/env node
/**
 * The `gatehouse` command: `gatehouse serve <file> [options]`.
 */
import { parseArgs } from 'node:util'
import { serve } from './serve'

const USAGE = `Usage: gatehouse serve <file> [options]

Serves an OpenAPI 3 / Swagger 2 document (JSON or YAML) or a SAM / CloudFormation template.

Options:
  --port <n>                  port (default 3000; 0 picks a free one)
  --host <address>            address to listen on (default 127.0.0.1)
  --stage <name>              serve under this stage name
  --functions <module>        module whose exported functions are the Lambda handlers
  --env-vars <file.json>      as sam local: {"<LogicalId>": {"VAR": "v"}, "Parameters": {"VAR": "v"}}
  --parameter <Key=Value>     template parameter override (repeatable)
  --stage-variable <k=v>      stage variable for every API (repeatable)
  --watch                     reload when the definition or a handler file changes
  -h, --help                  this help`

function pairs(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values ?? []) {
    const eq = v.indexOf('=')
    if (eq <= 0) throw new Error(`${option} takes name=value, got ${v}`)
    out[v.slice(0, eq)] = v.slice(eq + 1)
  }
  return out
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      stage: { type: 'string' },
      functions: { type: 'string' },
      'env-vars': { type: 'string' },
      parameter: { type: 'string', multiple: true },
      'stage-variable': { type: 'string', multiple: true },
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, file, ...rest] = positionals
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  if (command !== 'serve') {
    process.stderr.write(`gatehouse: unknown command ${command}\n${USAGE}\n`)
    return 2
  }
  if (file === undefined || rest.length > 0) {
    process.stderr.write(`gatehouse serve: give exactly one file\n${USAGE}\n`)
    return 2
  }
  const port = values.port === undefined ? 3000 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${values.port} is not a port`)
  const running = await serve({
    file,
    port,
    host: values.host ?? '127.0.0.1',
    ...(values.stage ? { stage: values.stage } : {}),
    ...(values.functions ? { functions: values.functions } : {}),
    ...(values['env-vars'] ? { envVars: values['env-vars'] } : {}),
    parameters: pairs(values.parameter, '--parameter'),
    stageVariables: pairs(values['stage-variable'], '--stage-variable'),
    watch: values.watch === true,
  })
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return -1
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`gatehouse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  },
)
