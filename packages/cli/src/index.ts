/**
 * `@gatehousejs/cli`: the `gatehouse` command, and what it is built from for programmatic use — `serve`, the SAM /
 * CloudFormation template loader and the definition parser.
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
export { routeTable } from './routes'
