#!/usr/bin/env node
/**
 * The `gatehouse` command: `serve`, `routes`, `validate`, `invoke`, `export`, `sdk`.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { invokeCommand, routesCommand, validateCommand, type CommandIo } from './commands'
import { exportCommand } from './export/command'
import { sdkCommand } from './sdk/command'
import { serveTargets } from './domain'
import { serve } from './serve'

const USAGE = `Usage: gatehouse <command> <file> [options]

The file is an OpenAPI 3 / Swagger 2 document (JSON or YAML) or a SAM / CloudFormation template.

Commands:
  serve <file>                        serve it on loopback
  serve [--domain <name>] <file>:<mapping>...
                                      several files behind one custom domain, each API under its base path
                                      mapping / API mapping key: shop.yaml:/ (the root, also '(none)'),
                                      pets.yaml:pets/v1, orders.yaml:orders (one listener; without --domain
                                      any Host is the domain)
  routes <file> [--json]              the compiled route table
  validate <file> [--strict] [--json] errors and warnings with their JSON pointers; exit 1 on an error
                                      (with --strict, on a warning too)
  invoke <file> <METHOD> <path>       run one request without a socket (TestInvokeMethod); exit 1 on 4xx/5xx
      [--header name:value]... [--query name=value]... [--body text|@file]
  export <file> --format oas30|swagger [--extensions integrations,authorizers,apigateway] [--out file]
                                      the API as OpenAPI 3.0 / Swagger 2.0 (YAML when --out ends in .yaml)
  sdk <file> --lang ts|js --out <dir> a fetch-based client without dependencies
  (export and sdk: --api <LogicalId> picks one API of a template with several)

Options (serve, and where they apply, the others):
  --port <n>                  port (default 3000; 0 picks a free one)
  --host <address>            address to listen on (default 127.0.0.1)
  --stage <name>              serve under this stage name
  --functions <module>        module whose exported functions are the Lambda handlers
  --env-vars <file.json>      as sam local: {"<LogicalId>": {"VAR": "v"}, "Parameters": {"VAR": "v"}}
  --parameter <Key=Value>     template parameter override (repeatable)
  --stage-variable <k=v>      stage variable for every API (repeatable)
  --watch                     reload when the definition or a handler file changes
  --dashboard                 serve a live dashboard on /_dashboard/ (this machine only)
  --domain <name>             serve: the custom domain's name; another Host gets 403 Forbidden
  -h, --help                  this help`

const COMMANDS = ['serve', 'routes', 'validate', 'invoke', 'export', 'sdk']

function pairs(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values ?? []) {
    const eq = v.indexOf('=')
    if (eq <= 0) throw new Error(`${option} takes name=value, got ${v}`)
    out[v.slice(0, eq)] = v.slice(eq + 1)
  }
  return out
}

const io: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
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
      dashboard: { type: 'boolean' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      header: { type: 'string', multiple: true },
      query: { type: 'string', multiple: true },
      body: { type: 'string' },
      format: { type: 'string' },
      extensions: { type: 'string' },
      out: { type: 'string' },
      lang: { type: 'string' },
      api: { type: 'string' },
      domain: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, file, ...rest] = positionals
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`gatehouse: unknown command ${command}\n${USAGE}\n`)
    return 2
  }
  const expected = command === 'invoke' ? 2 : 0
  let targets: ReturnType<typeof serveTargets> | undefined
  if (command === 'serve') {
    try {
      targets = serveTargets(positionals.slice(1), values.domain)
    } catch (error) {
      process.stderr.write(`gatehouse serve: ${(error as Error).message}\n${USAGE}\n`)
      return 2
    }
  } else if (values.domain !== undefined) {
    process.stderr.write(`gatehouse ${command}: --domain is for serve\n`)
    return 2
  }
  if (file === undefined || (targets === undefined && rest.length !== expected)) {
    process.stderr.write(
      `gatehouse ${command}: give ${command === 'invoke' ? 'a file, a method and a path' : 'exactly one file'}\n${USAGE}\n`,
    )
    return 2
  }
  const common = {
    file,
    ...(values.stage ? { stage: values.stage } : {}),
    ...(values.functions ? { functions: values.functions } : {}),
    ...(values['env-vars'] ? { envVars: values['env-vars'] } : {}),
    parameters: pairs(values.parameter, '--parameter'),
    stageVariables: pairs(values['stage-variable'], '--stage-variable'),
  }
  switch (command) {
    case 'routes':
      return routesCommand({ ...common, json: values.json === true }, io)
    case 'validate':
      return validateCommand({ ...common, strict: values.strict === true, json: values.json === true }, io)
    case 'invoke':
      return invokeCommand(
        common,
        {
          method: rest[0] as string,
          path: rest[1] as string,
          headers: values.header ?? [],
          query: values.query ?? [],
          ...(values.body !== undefined ? { body: values.body } : {}),
        },
        io,
      )
    case 'export': {
      const format = values.format ?? 'oas30'
      if (format !== 'oas30' && format !== 'swagger') {
        io.err('gatehouse export: --format is oas30 or swagger')
        return 2
      }
      const text = await exportCommand({
        ...common,
        format,
        ...(values.extensions !== undefined ? { extensions: values.extensions } : {}),
        ...(values.api !== undefined ? { api: values.api } : {}),
        ...(values.out?.match(/\.ya?ml$/) ? { output: 'yaml' as const } : {}),
      })
      if (values.out) writeFileSync(values.out, text)
      else io.out(text)
      return 0
    }
    case 'sdk': {
      const lang = values.lang ?? 'ts'
      if ((lang !== 'ts' && lang !== 'js') || !values.out) {
        io.err('gatehouse sdk: give --lang ts|js and --out <dir>')
        return 2
      }
      const files = await sdkCommand({ ...common, lang, out: values.out, ...(values.api !== undefined ? { api: values.api } : {}) })
      for (const f of files) io.out(`wrote ${f}`)
      return 0
    }
  }
  const port = values.port === undefined ? 3000 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${values.port} is not a port`)
  const running = await serve({
    ...common,
    ...(targets && 'mappings' in targets
      ? { mappings: targets.mappings, ...(targets.domainName === undefined ? {} : { domain: targets.domainName }) }
      : {}),
    port,
    host: values.host ?? '127.0.0.1',
    watch: values.watch === true,
    dashboard: values.dashboard === true,
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
