/**
 * @gatehousejs/vtl: Velocity templates and API Gateway mapping templates. Source layout: `parse/` (template → tree),
 * `compile/` (tree → closures and generated sequencers), `runtime.ts` (render state and budget), `values/` and
 * `methods/` (Java values and their methods), `jsonpath/`, `mapping/` (`$input`, `$util`, `$context` overrides).
 */
export { compileTemplate, MAX_TEMPLATE_BYTES, MAX_FOREACH_ITERATIONS, DEFAULT_RENDER_LIMITS } from './template'
export type { CompiledTemplate, TemplateOptions } from './template'
export type { RenderLimits, RenderUsage } from './budget'
export { compileMappingTemplate, renderMappingTemplate } from './mapping/mapping-template'
export type {
  CompiledMappingTemplate,
  MappingTemplateInput,
  MappingTemplateOverrides,
  MappingTemplateResult,
  RequestOverride,
  ResponseOverride,
} from './mapping/mapping-template'
export type { MappingTemplateParams } from './mapping/input'
export { escapeJavaScript, urlEncode, urlDecode } from './mapping/util'
export { evaluatePath } from './jsonpath/evaluate'
export { VtlError } from './errors'
export type { VtlErrorCode } from './errors'
