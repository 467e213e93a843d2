/**
 * HTTP APIs' AWS service integrations (`integrationSubtype`): each subtype's parameters (required or not) as AWS's
 * "Integration subtype reference" lists them, and the service request API Gateway makes of their values.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_GetConfiguration.html
 */
import { awsEncode, encodeForm } from './encode'

/** A service request built from a subtype's parameter values (before signing). */
export interface SubtypeRequest {
  service: string
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string
}

/** One subtype: its parameters (`Region` is every subtype's) and its request. */
export interface Subtype {
  required: readonly string[]
  optional: readonly string[]
  build: (values: Readonly<Record<string, string>>) => SubtypeRequest
}

/** A list parameter: a JSON array, or comma-separated text. */
function list(text: string): string[] {
  const t = text.trim()
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t)
      if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
    } catch {
      // not JSON: read as a comma-separated list
    }
  }
  return t === '' ? [] : t.split(',').map((s) => s.trim())
}

/** A JSON object parameter, or undefined when the text is not one. */
function object(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

// ---- the query protocol (SQS) ----

/** SQS message attributes (`{"name": {"DataType": "String", "StringValue": "x"}}`) in the query protocol's words. */
function attributes(prefix: string, text: string, out: [string, string][]): void {
  const map = object(text)
  if (map === undefined) {
    out.push([prefix, text])
    return
  }
  let n = 0
  for (const [name, value] of Object.entries(map)) {
    n++
    out.push([`${prefix}.${n}.Name`, name])
    if (value === null || typeof value !== 'object') continue
    for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null || typeof v === 'object') continue
      out.push([`${prefix}.${n}.Value.${field}`, String(v)])
    }
  }
}

function sqs(action: string, required: string[], optional: string[]): Subtype {
  return {
    required,
    optional,
    build(values) {
      const pairs: [string, string][] = [
        ['Action', action],
        ['Version', '2012-11-05'],
      ]
      for (const [name, value] of Object.entries(values)) {
        if (name === 'Region') continue
        if (name === 'MessageAttributes') attributes('MessageAttribute', value, pairs)
        else if (name === 'MessageSystemAttributes') attributes('MessageSystemAttribute', value, pairs)
        else if (name === 'AttributeNames' || name === 'MessageAttributeNames') {
          const one = name.slice(0, -1)
          for (const [i, v] of list(value).entries()) pairs.push([`${one}.${i + 1}`, v])
        } else pairs.push([name, value])
      }
      return {
        service: 'sqs',
        method: 'POST',
        path: '/',
        query: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: encodeForm(pairs),
      }
    },
  }
}

// ---- JSON protocols ----

function json(service: string, target: string, version: '1.0' | '1.1', body: Record<string, unknown>): SubtypeRequest {
  return {
    service,
    method: 'POST',
    path: '/',
    query: '',
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target },
    body: JSON.stringify(body),
  }
}

/** Copy the values present, renamed (`{ StateMachineArn: 'stateMachineArn' }`). */
function pick(values: Readonly<Record<string, string>>, names: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [from, to] of Object.entries(names)) if (Object.hasOwn(values, from)) out[to] = values[from]
  return out
}

/** A timestamp as JSON protocols carry it: epoch seconds when numeric, else the text (ISO 8601). */
function timestamp(text: string): number | string {
  return /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text
}

function stepFunctions(action: string, service: string, names: Record<string, string>, required: string[]): Subtype {
  const optional = Object.keys(names).filter((n) => !required.includes(n))
  return { required, optional, build: (values) => json(service, `AWSStepFunctions.${action}`, '1.0', pick(values, names)) }
}

/** Every subtype AWS documents. */
export const SUBTYPES: Readonly<Record<string, Subtype>> = {
  'EventBridge-PutEvents': {
    required: ['Detail', 'DetailType', 'Source'],
    optional: ['Time', 'EventBusName', 'Resources', 'TraceHeader'],
    build(values) {
      const entry = pick(values, {
        Source: 'Source',
        DetailType: 'DetailType',
        Detail: 'Detail',
        EventBusName: 'EventBusName',
        TraceHeader: 'TraceHeader',
      })
      if (Object.hasOwn(values, 'Time')) entry.Time = timestamp(values.Time!)
      if (Object.hasOwn(values, 'Resources')) entry.Resources = list(values.Resources!)
      return json('events', 'AWSEvents.PutEvents', '1.1', { Entries: [entry] })
    },
  },
  'SQS-SendMessage': sqs(
    'SendMessage',
    ['QueueUrl', 'MessageBody'],
    ['DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes'],
  ),
  'SQS-ReceiveMessage': sqs(
    'ReceiveMessage',
    ['QueueUrl'],
    ['AttributeNames', 'MaxNumberOfMessages', 'MessageAttributeNames', 'ReceiveRequestAttemptId', 'VisibilityTimeout', 'WaitTimeSeconds'],
  ),
  'SQS-DeleteMessage': sqs('DeleteMessage', ['ReceiptHandle', 'QueueUrl'], []),
  'SQS-PurgeQueue': sqs('PurgeQueue', ['QueueUrl'], []),
  'AppConfig-GetConfiguration': {
    required: ['Application', 'Environment', 'Configuration', 'ClientId'],
    optional: ['ClientConfigurationVersion'],
    build(values) {
      // Each value is one path segment: `/` and `..` in a value stay data.
      const seg = (name: string) => awsEncode(values[name] ?? '')
      const query: [string, string][] = [['client_id', values.ClientId ?? '']]
      if (Object.hasOwn(values, 'ClientConfigurationVersion'))
        query.push(['client_configuration_version', values.ClientConfigurationVersion!])
      return {
        service: 'appconfig',
        method: 'GET',
        path: `/applications/${seg('Application')}/environments/${seg('Environment')}/configurations/${seg('Configuration')}`,
        query: encodeForm(query),
        headers: {},
        body: '',
      }
    },
  },
  'Kinesis-PutRecord': {
    required: ['StreamName', 'Data', 'PartitionKey'],
    optional: ['SequenceNumberForOrdering', 'ExplicitHashKey'],
    build: (values) =>
      json(
        'kinesis',
        'Kinesis_20131202.PutRecord',
        '1.1',
        pick(values, {
          StreamName: 'StreamName',
          Data: 'Data',
          PartitionKey: 'PartitionKey',
          SequenceNumberForOrdering: 'SequenceNumberForOrdering',
          ExplicitHashKey: 'ExplicitHashKey',
        }),
      ),
  },
  'StepFunctions-StartExecution': stepFunctions(
    'StartExecution',
    'states',
    { StateMachineArn: 'stateMachineArn', Name: 'name', Input: 'input' },
    ['StateMachineArn'],
  ),
  'StepFunctions-StartSyncExecution': stepFunctions(
    'StartSyncExecution',
    'sync-states',
    { StateMachineArn: 'stateMachineArn', Name: 'name', Input: 'input', TraceHeader: 'traceHeader' },
    ['StateMachineArn'],
  ),
  'StepFunctions-StopExecution': stepFunctions(
    'StopExecution',
    'states',
    { ExecutionArn: 'executionArn', Cause: 'cause', Error: 'error' },
    ['ExecutionArn'],
  ),
}
