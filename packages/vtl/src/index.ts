export { compileTemplate, MAX_TEMPLATE_BYTES, MAX_FOREACH_ITERATIONS, DEFAULT_RENDER_LIMITS } from './template'
export type { CompiledTemplate, TemplateOptions } from './template'
export type { RenderLimits, RenderUsage } from './budget'
export { compileMappingTemplate, renderMappingTemplate } from './mapping'
export type {
  CompiledMappingTemplate,
  MappingTemplateInput,
  MappingTemplateParams,
  MappingTemplateResult,
  RequestOverride,
  ResponseOverride,
} from './mapping'
export { escapeJavaScript, urlEncode, urlDecode } from './util'
export { evaluatePath } from './jsonpath'
export { VtlError } from './errors'
export type { VtlErrorCode } from './errors'
