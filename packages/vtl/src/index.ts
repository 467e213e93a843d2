export { compileTemplate, MAX_TEMPLATE_BYTES, MAX_FOREACH_ITERATIONS } from './template'
export type { CompiledTemplate, TemplateOptions } from './template'
export { VtlError } from './errors'
export type { VtlErrorCode } from './errors'
