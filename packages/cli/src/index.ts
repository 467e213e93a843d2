/**
 * `@gatehousejs/cli`: the `gatehouse` command, and what it is built from for programmatic use — `serve`, `routes`,
 * `validate`, `invoke`, the exporter, the SDK generator, the SAM / CloudFormation template loader and the
 * definition parser.
 */
export { serve, type RunningServer, type ServeOptions } from './serve'
export {
  loadTemplate,
  functionArn,
  invocationUri,
  type ApiSpec,
  type FunctionSpec,
  type TemplateOptions,
  type TemplateProject,
  type UsagePlanSpec,
} from './sam'
export { documentKind, parseDefinitionText, readDefinitionFile, type DocumentKind } from './parse'
export { resolveIntrinsics, type IntrinsicContext } from './intrinsics'
export { routeRows, routeTable, type RouteRow } from './routes'
export { buildApis, formatWarning, type BuildOptions, type BuildWarning, type Built, type BuiltApi } from './build'
export {
  invoke,
  invokeCommand,
  routesCommand,
  toGatewayRequest,
  validateCommand,
  validateFile,
  type CommandIo,
  type CommandOptions,
  type InvokeRequest,
  type InvokeResult,
  type ValidationProblem,
} from './commands'
export { exportApi, type ExportExtension, type ExportOptions } from './export/index'
export { exportCommand, parseExtensions, type ExportCommandOptions } from './export/command'
export { generateSdk, type SdkOptions } from './sdk/generate'
export { sdkCommand, type SdkCommandOptions } from './sdk/command'
export { schemaToTs } from './sdk/schema'
