/** The shapes `gatehouse serve` reads a SAM / CloudFormation template into. */
import type { ApiType, StageDefinition } from '@gatehousejs/core'

export interface FunctionSpec {
  logicalId: string
  /** `Ref` of the function: its `FunctionName`, else its logical id. */
  name: string
  arn: string
  /** The directory `CodeUri` names, absolute. */
  codeDir: string
  /** `file.export` (the file may be in a sub-folder: `src/app.handler`). */
  handler: string
  runtime: string
  environment: Record<string, string>
  timeoutSeconds: number
}

/** A usage plan and its keys, as the gateway input takes them. */
export interface UsagePlanSpec {
  id: string
  throttle?: { rateLimit: number; burstLimit: number }
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number }
  keys: string[]
}

/** One API to serve. */
export interface ApiSpec {
  logicalId: string
  /** Detected from the document when absent. */
  apiType?: ApiType
  /** The OpenAPI 3 / Swagger 2 document the API is served from. */
  document: Record<string, unknown>
  stage: StageDefinition
  apiKeys: { id: string; name: string; value: string; enabled: boolean; generated: boolean }[]
  usagePlans: UsagePlanSpec[]
}

/** What a template turns into. */
export interface TemplateProject {
  functions: FunctionSpec[]
  apis: ApiSpec[]
  /** Local files the template reads (`DefinitionUri`), for `--watch`. */
  files: string[]
  /** Functions that are not run locally (another runtime, an image, code on S3), with the reason. */
  skipped: { logicalId: string; name: string; arn: string; reason: string }[]
}

/** How a template is loaded. */
export interface TemplateOptions {
  /** Parameter values overriding the template's defaults. */
  parameterOverrides?: Record<string, string>
  /** Serve every API under this stage name instead of its own. */
  stageName?: string
  warn: (message: string) => void
  /** Values of API keys SAM would generate (`Auth.UsagePlan`), kept across reloads. */
  generatedKeys?: Map<string, string>
}

export type Props = Record<string, unknown>
export interface Resource {
  Type: string
  Properties?: Props
  Condition?: string
  [other: string]: unknown
}
