/**
 * Template behaviours Amazon API Gateway's documentation states, one row each, with the page that states it.
 * Each `doc` is one of:
 * - an AWS documentation page URL: the page states the fact (checked against the page text, Nov 2026);
 * - `observed …`: behaviour the project issue records as observed on AWS, not stated in the docs;
 * - `derived …`: not stated by AWS; follows from the Java library AWS's page points to or that Velocity runs on
 *   (Jayway JsonPath, commons-lang `StringEscapeUtils`, `java.net.URLEncoder`), named in the label;
 * - `not found …`: a variable we pass through whose description we could not find in the stored docs.
 */
import { describe, expect, it } from 'vitest'
import { compileMappingTemplate, type MappingTemplateInput, VtlError } from '@gatehousejs/vtl'

/** "Variables for data transformations for API Gateway" ($context, $input, $stageVariables, $util). */
const REF = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html'
/** "Examples using variables for mapping template transformations for API Gateway". */
const EXAMPLES = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-variable-examples.html'
/** "Override your API's request and response parameters and status codes for REST APIs". */
const OVERRIDE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html'
/** "Quotas for configuring and running a REST API in API Gateway". */
const QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html'
/** The photo album example (models and mapping templates). */
const PHOTOS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/example-photos.html'
/** "API Gateway stage variables reference for REST APIs". */
const STAGEVARS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html'
const OBSERVED = 'observed on AWS (project issue 8)'
const JSONPATH =
  'derived: Jayway JsonPath syntax (https://github.com/json-path/JsonPath), which the $input.json/$input.path rows of REF point to'
const ESCAPE = 'derived: commons-lang StringEscapeUtils.escapeJavaScript (REF only says "JavaScript string rules")'
const URLENCODER = 'derived: java.net.URLEncoder form encoding (REF only says "application/x-www-form-urlencoded")'
const JAVA = 'derived: a Java List from $util.parseJson (REF: "an object representation" to "manipulate natively")'
const NOT_FOUND = 'not found in the stored AWS docs (named only in third-party templates); passed through as given'

interface Row {
  doc: string
  says: string
  template: string
  input?: MappingTemplateInput
  expect: string | ((out: string) => void)
}

const pets = '{"pets":[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]}'
const ctx = {
  accountId: '123456789012',
  apiId: 'abcd1234',
  domainName: 'abcd1234.execute-api.us-east-1.amazonaws.com',
  domainPrefix: 'abcd1234',
  extendedRequestId: 'ext-1',
  httpMethod: 'GET',
  path: '/prod/pets/1',
  protocol: 'HTTP/1.1',
  requestId: 'req-1',
  requestTime: '21/Nov/2026:23:00:00 +0000',
  requestTimeEpoch: 1795302000000,
  resourceId: 'res1',
  resourcePath: '/pets/{id}',
  stage: 'prod',
  deploymentId: 'dep1',
  awsEndpointRequestId: 'aws-req-1',
  xrayTraceId: 'Root=1-abc',
  wafResponseCode: 'WAF_ALLOW',
  webaclArn: 'arn:aws:wafv2:acl',
  isCanaryRequest: 'false',
  identity: {
    accountId: '111122223333',
    apiKey: 'MyTestKey',
    apiKeyId: 'key-id',
    caller: 'ABCD-0000-12345',
    cognitoAuthenticationProvider: 'cognito-idp.us-east-1.amazonaws.com/pool,cognito-idp:pool:CognitoSignIn:sub',
    cognitoAuthenticationType: 'authenticated',
    cognitoIdentityId: 'us-east-1:id',
    cognitoIdentityPoolId: 'us-east-1:pool',
    principalOrgId: 'o-123',
    sourceIp: '192.0.2.1',
    user: 'ABCD-0000-12345',
    userAgent: 'curl/7.84.0',
    userArn: 'arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar',
    clientCert: {
      clientCertPem: 'PEM',
      subjectDN: 'CN=client',
      issuerDN: 'CN=ca',
      serialNumber: '1',
      validity: { notBefore: 'a', notAfter: 'b' },
    },
  },
  authorizer: { principalId: 'user|a1', key: 'value', numKey: 1, boolKey: true, claims: { sub: 'abc', email: 'a@b.c' } },
  error: {
    message: 'Missing Authentication Token',
    messageString: '"Missing Authentication Token"',
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    validationErrorString: 'instance type (integer) does not match',
  },
}

/** The photo album example's request body, template and output, as the page gives them. */
const photosBody = JSON.stringify({
  photos: {
    page: 1,
    pages: '1234',
    perpage: 100,
    total: '123398',
    photo: [
      {
        id: '12345678901',
        owner: '23456789@A12',
        photographer_first_name: 'Saanvi',
        photographer_last_name: 'Sarkar',
        secret: 'abc123d456',
        server: '1234',
        farm: 1,
        title: 'Sample photo 1',
        ispublic: true,
        isfriend: false,
        isfamily: false,
      },
      {
        id: '23456789012',
        owner: '34567890@B23',
        photographer_first_name: 'Richard',
        photographer_last_name: 'Roe',
        secret: 'bcd234e567',
        server: '2345',
        farm: 2,
        title: 'Sample photo 2',
        ispublic: true,
        isfriend: false,
        isfamily: false,
      },
    ],
  },
})
const photosTemplate = `#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "photographedBy": "$elem.photographer_first_name $elem.photographer_last_name",
      "title": "$elem.title",
      "ispublic": $elem.ispublic,
      "isfriend": $elem.isfriend,
      "isfamily": $elem.isfamily
    }#if($foreach.hasNext),#end

#end
  ]
}`
const photosOutput = {
  photos: [
    { id: '12345678901', photographedBy: 'Saanvi Sarkar', title: 'Sample photo 1', ispublic: true, isfriend: false, isfamily: false },
    { id: '23456789012', photographedBy: 'Richard Roe', title: 'Sample photo 2', ispublic: true, isfriend: false, isfamily: false },
  ],
}

const rows: Row[] = [
  // $input.body / json / path / params
  {
    doc: REF,
    says: '$input.body returns the raw request payload as a string',
    template: '$input.body',
    input: { body: '{"a": 1}' },
    expect: '{"a": 1}',
  },
  {
    doc: REF,
    says: '$input.body of a non-JSON payload is the raw string',
    template: '$input.body',
    input: { body: 'a=1&b=2' },
    expect: 'a=1&b=2',
  },
  { doc: OBSERVED, says: 'an empty body reads as {} in $input.body', template: '$input.body', input: { body: '' }, expect: '{}' },
  { doc: OBSERVED, says: "an empty body reads as {} in $input.json('$')", template: "$input.json('$')", input: {}, expect: '{}' },
  {
    doc: REF,
    says: "$input.json('$.pets') returns a JSON string representing the pets structure",
    template: "$input.json('$.pets')",
    input: { body: pets },
    expect: '[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]',
  },
  {
    doc: REF,
    says: '$input.json of a string value is a quoted JSON string',
    template: "$input.json('$.pets[0].type')",
    input: { body: pets },
    expect: '"dog"',
  },
  { doc: REF, says: '$input.json of a number is the number', template: "$input.json('$.pets[1].id')", input: { body: pets }, expect: '2' },
  {
    doc: REF,
    says: '$input.path(\'$.pets\').count() would return "3"',
    template: "$input.path('$.pets').count()",
    input: { body: pets },
    expect: '3',
  },
  {
    doc: REF,
    says: 'the /things/{id} example: "count" : "$input.path(\'$.things\').size()" gives "3" for a map of three',
    template: '"count" : "$input.path(\'$.things\').size()"',
    input: { body: '{"things":{"1":{},"2":{},"3":{}}}' },
    expect: '"count" : "3"',
  },
  {
    doc: REF,
    says: '$input.path returns the native value (a string prints unquoted)',
    template: "$input.path('$.pets[2].type')",
    input: { body: pets },
    expect: 'fish',
  },
  {
    doc: REF,
    says: '$input.path lets VTL manipulate elements natively (#foreach over the list)',
    template: "#foreach($p in $input.path('$.pets'))$p.id#if($foreach.hasNext),#end#end",
    input: { body: pets },
    expect: '1,2,3',
  },
  {
    doc: OBSERVED,
    says: '$input.path objects print as Java maps in document order',
    template: "$input.path('$')",
    input: { body: '{"b":"x","a":1}' },
    expect: '{b=x, a=1}',
  },
  {
    doc: OBSERVED,
    says: '$input.path lists print as compact JSON',
    template: "$input.path('$.l')",
    input: { body: '{"l":[{"foo":"bar"}]}' },
    expect: '[{"foo":"bar"}]',
  },
  {
    doc: OBSERVED,
    says: 'lists inside $input.path maps also print as JSON',
    template: "$input.path('$')",
    input: { body: '{"l":[{"foo":"bar"}],"n":1}' },
    expect: '{l=[{"foo":"bar"}], n=1}',
  },
  {
    doc: OBSERVED,
    says: 'a body starting with { that does not parse answers 400 Could not process payload',
    template: "$input.json('$')",
    input: { body: '{"a":' },
    expect: (out) => expect(out).toBe('error:VTL_INVALID_PAYLOAD:400:Could not process payload'),
  },
  {
    doc: OBSERVED,
    says: 'a body starting with [ that does not parse answers 400',
    template: "$input.path('$')",
    input: { body: '[1,' },
    expect: 'error:VTL_INVALID_PAYLOAD:400:Could not process payload',
  },
  {
    doc: JSONPATH,
    says: '$input.json with JSONPath wildcard',
    template: "$input.json('$.pets[*].type')",
    input: { body: pets },
    expect: '["dog","cat","fish"]',
  },
  {
    doc: JSONPATH,
    says: '$input.json with a JSONPath slice',
    template: "$input.json('$.pets[0:2].id')",
    input: { body: pets },
    expect: '[1,2]',
  },
  {
    doc: JSONPATH,
    says: '$input.json with JSONPath recursive descent',
    template: "$input.json('$..id')",
    input: { body: pets },
    expect: '[1,2,3]',
  },
  {
    doc: JSONPATH,
    says: '$input.json with a JSONPath filter',
    template: '$input.json("$.pets[?(@.type == \'cat\')].price")',
    input: { body: pets },
    expect: '[124.99]',
  },
  {
    doc: JSONPATH,
    says: '$input.json with a numeric JSONPath filter',
    template: "$input.json('$.pets[?(@.price < 200)].id')",
    input: { body: pets },
    expect: '[2,3]',
  },
  {
    doc: JSONPATH,
    says: '$input.json with a bracketed child name',
    template: "$input.json(\"$['pets'][0]['id']\")",
    input: { body: pets },
    expect: '1',
  },
  {
    doc: JSONPATH,
    says: '$input.json with a negative index',
    template: "$input.json('$.pets[-1].type')",
    input: { body: pets },
    expect: '"fish"',
  },
  {
    doc: PHOTOS,
    says: "#set($inputRoot = $input.path('$')) then property navigation",
    template: "#set($inputRoot = $input.path('$'))$inputRoot.pets[0].type",
    input: { body: pets },
    expect: 'dog',
  },
  {
    doc: REF,
    says: '$input.params() returns a map of all the request parameters',
    template: '$input.params()',
    input: { params: { path: { id: '1' }, querystring: { q: 'x' }, header: { Accept: '*/*' } } },
    expect: '{path={id=1}, querystring={q=x}, header={Accept=*/*}}',
  },
  {
    doc: EXAMPLES,
    says: 'Example 2 iterates $input.params() keys and values',
    template:
      '#set($all = $input.params())#foreach($type in $all.keySet())$type:#set($ps = $all.get($type))#foreach($n in $ps.keySet())$n=$ps.get($n)#end;#end',
    input: { params: { path: { id: '1' }, querystring: { q: 'x' }, header: { h: 'v' } } },
    expect: 'path:id=1;querystring:q=x;header:h=v;',
  },
  {
    doc: REF,
    says: '$input.params(x) searches the path first',
    template: "$input.params('id')",
    input: { params: { path: { id: 'p' }, querystring: { id: 'q' }, header: { id: 'h' } } },
    expect: 'p',
  },
  {
    doc: REF,
    says: '$input.params(x) then the query string',
    template: "$input.params('id')",
    input: { params: { querystring: { id: 'q' }, header: { id: 'h' } } },
    expect: 'q',
  },
  {
    doc: REF,
    says: '$input.params(x) then the headers',
    template: "$input.params('id')",
    input: { params: { header: { id: 'h' } } },
    expect: 'h',
  },
  {
    doc: REF,
    says: '$input.params().querystring is the query-string map',
    template: '$input.params().querystring.get("a")',
    input: { params: { querystring: { a: '1' } } },
    expect: '1',
  },
  {
    doc: REF,
    says: '$input.params().header.get(name)',
    template: "$input.params().header.get('X-Id')",
    input: { params: { header: { 'X-Id': 'abc' } } },
    expect: 'abc',
  },

  // $util
  {
    doc: REF,
    says: '$util.escapeJavaScript escapes characters using JavaScript string rules',
    template: "$util.escapeJavaScript($input.path('$.s'))",
    input: { body: '{"s":"a\\"b\\\\c\\nd"}' },
    expect: 'a\\"b\\\\c\\nd',
  },
  { doc: REF, says: "$util.escapeJavaScript turns ' into \\'", template: '$util.escapeJavaScript("it\'s")', expect: "it\\'s" },
  {
    doc: REF,
    says: 'the documented .replaceAll("\\\\\'","\'") turns escaped single quotes back',
    template: '"input": "$util.escapeJavaScript($input.body).replaceAll("\\\\\'","\'")"',
    input: { body: "it's" },
    expect: '"input": "it\'s"',
  },
  { doc: ESCAPE, says: '$util.escapeJavaScript escapes non-ASCII as \\uXXXX', template: "$util.escapeJavaScript('é')", expect: '\\u00E9' },
  {
    doc: ESCAPE,
    says: '$util.escapeJavaScript escapes / and tab',
    template: "$util.escapeJavaScript($input.path('$.s'))",
    input: { body: '{"s":"a/b\\tc"}' },
    expect: 'a\\/b\\tc',
  },
  {
    doc: REF,
    says: 'the $util.parseJson example: $errorMessageObj.key2.arr[0] gives 1',
    template:
      '#set ($errorMessageObj = $util.parseJson($input.path(\'$.errorMessage\')))\n{\n   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]\n}\n',
    input: { body: '{"errorMessage":"{\\"key1\\":\\"var1\\",\\"key2\\":{\\"arr\\":[1,2,3]}}"}' },
    expect: '{\n   "errorMessageObjKey2ArrVal" : 1\n}\n',
  },
  {
    doc: REF,
    says: '$util.parseJson takes stringified JSON and returns an object representation',
    template: "#set($o = $util.parseJson($input.path('$.s')))$o.myKey",
    input: { body: '{"s":"{\\"myKey\\":\\"myValue\\"}"}' },
    expect: 'myValue',
  },
  { doc: JAVA, says: '$util.parseJson of a list supports .size()', template: "$util.parseJson('[1,2,3]').size()", expect: '3' },
  {
    doc: REF,
    says: '$util.urlEncode converts to application/x-www-form-urlencoded',
    template: "$util.urlEncode('a b&c=d/é')",
    expect: 'a+b%26c%3Dd%2F%C3%A9',
  },
  { doc: URLENCODER, says: '$util.urlEncode keeps . - * _', template: "$util.urlEncode('a.b-c*d_e~')", expect: 'a.b-c*d_e%7E' },
  {
    doc: REF,
    says: '$util.urlDecode decodes application/x-www-form-urlencoded',
    template: "$util.urlDecode('a+b%26c%3Dd%2F%C3%A9')",
    expect: 'a b&c=d/é',
  },
  {
    doc: REF,
    says: '$util.base64Encode encodes the data into a base64-encoded string',
    template: "$util.base64Encode('hello world')",
    expect: 'aGVsbG8gd29ybGQ=',
  },
  {
    doc: REF,
    says: '$util functions use UTF-8 unless otherwise specified (base64Encode)',
    template: "$util.base64Encode('é')",
    expect: 'w6k=',
  },
  {
    doc: REF,
    says: '$util.base64Decode decodes the data from a base64-encoded string',
    template: "$util.base64Decode('aGVsbG8gd29ybGQ=')",
    expect: 'hello world',
  },
  { doc: OBSERVED, says: 'an unknown $util function yields null and renders as nothing', template: "[$util.nope('x')]", expect: '[]' },

  // $context
  {
    doc: EXAMPLES,
    says: 'Example 1 maps $context variables into the payload',
    template:
      '{"stage":"$context.stage","request_id":"$context.requestId","api_id":"$context.apiId","resource_path":"$context.resourcePath","resource_id":"$context.resourceId","http_method":"$context.httpMethod","source_ip":"$context.identity.sourceIp","user-agent":"$context.identity.userAgent","account_id":"$context.identity.accountId","api_key":"$context.identity.apiKey","caller":"$context.identity.caller","user":"$context.identity.user","user_arn":"$context.identity.userArn"}',
    input: { context: ctx },
    expect:
      '{"stage":"prod","request_id":"req-1","api_id":"abcd1234","resource_path":"/pets/{id}","resource_id":"res1","http_method":"GET","source_ip":"192.0.2.1","user-agent":"curl/7.84.0","account_id":"111122223333","api_key":"MyTestKey","caller":"ABCD-0000-12345","user":"ABCD-0000-12345","user_arn":"arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"}',
  },
  { doc: REF, says: '$context.path includes the stage', template: '$context.path', input: { context: ctx }, expect: '/prod/pets/1' },
  {
    doc: REF,
    says: '$context.accountId, apiId, domainName, domainPrefix',
    template: '$context.accountId $context.apiId $context.domainName $context.domainPrefix',
    input: { context: ctx },
    expect: '123456789012 abcd1234 abcd1234.execute-api.us-east-1.amazonaws.com abcd1234',
  },
  {
    doc: REF,
    says: '$context.extendedRequestId, protocol, requestTime, requestTimeEpoch',
    template: '$context.extendedRequestId $context.protocol $context.requestTime $context.requestTimeEpoch',
    input: { context: ctx },
    expect: 'ext-1 HTTP/1.1 21/Nov/2026:23:00:00 +0000 1795302000000',
  },
  {
    doc: REF,
    says: '$context.deploymentId, awsEndpointRequestId, xrayTraceId',
    template: '$context.deploymentId $context.awsEndpointRequestId $context.xrayTraceId',
    input: { context: ctx },
    expect: 'dep1 aws-req-1 Root=1-abc',
  },
  { doc: NOT_FOUND, says: '$context.isCanaryRequest', template: '$context.isCanaryRequest', input: { context: ctx }, expect: 'false' },
  {
    doc: REF,
    says: '$context.wafResponseCode and webaclArn',
    template: '$context.wafResponseCode $context.webaclArn',
    input: { context: ctx },
    expect: 'WAF_ALLOW arn:aws:wafv2:acl',
  },
  {
    doc: REF,
    says: '$context.authorizer.principalId',
    template: '$context.authorizer.principalId',
    input: { context: ctx },
    expect: 'user|a1',
  },
  {
    doc: REF,
    says: 'calling $context.authorizer.claims returns null (renders as nothing)',
    template: '[$context.authorizer.claims]',
    input: { context: ctx },
    expect: '[]',
  },
  {
    doc: REF,
    says: '$context.authorizer.claims.property (Cognito claims)',
    template: '$context.authorizer.claims.sub $context.authorizer.claims.email',
    input: { context: ctx },
    expect: 'abc a@b.c',
  },
  {
    doc: REF,
    says: '$context.authorizer.key returns "value", numKey returns "1", boolKey returns "true"',
    template: '$context.authorizer.key $context.authorizer.numKey $context.authorizer.boolKey',
    input: { context: ctx },
    expect: 'value 1 true',
  },
  {
    doc: REF,
    says: '$context.identity.cognito* variables',
    template: '$context.identity.cognitoAuthenticationType $context.identity.cognitoIdentityId $context.identity.cognitoIdentityPoolId',
    input: { context: ctx },
    expect: 'authenticated us-east-1:id us-east-1:pool',
  },
  {
    doc: REF,
    says: '$context.identity.apiKeyId and principalOrgId',
    template: '$context.identity.apiKeyId $context.identity.principalOrgId',
    input: { context: ctx },
    expect: 'key-id o-123',
  },
  {
    doc: NOT_FOUND,
    says: '$context.identity.clientCert.* (mutual TLS)',
    template:
      '$context.identity.clientCert.subjectDN $context.identity.clientCert.issuerDN $context.identity.clientCert.serialNumber $context.identity.clientCert.validity.notBefore',
    input: { context: ctx },
    expect: 'CN=client CN=ca 1 a',
  },
  {
    doc: REF,
    says: '$context.error.message / messageString / responseType / validationErrorString',
    template: '$context.error.message|$context.error.messageString|$context.error.responseType|$context.error.validationErrorString',
    input: { context: ctx },
    expect:
      'Missing Authentication Token|"Missing Authentication Token"|MISSING_AUTHENTICATION_TOKEN|instance type (integer) does not match',
  },
  {
    doc: REF,
    says: '$context.error.messageString is the quoted message, so {"message":$context.error.messageString} is JSON',
    template: '{"message":$context.error.messageString}',
    input: { context: ctx },
    expect: '{"message":"Missing Authentication Token"}',
  },
  { doc: OBSERVED, says: 'an undefined reference renders as nothing', template: '[$context.nope]', input: { context: ctx }, expect: '[]' },

  // overrides
  {
    doc: OVERRIDE,
    says: '#set($context.responseOverride.status = 400) overrides the status',
    template: '#set($context.responseOverride.status = 400)ok',
    expect: (out) => expect(out).toBe('ok|status=400'),
  },
  {
    doc: OVERRIDE,
    says: '$context.responseOverride.header.name overrides a response header',
    template: '#set($context.responseOverride.header.X-Custom = "v")',
    expect: 'header.X-Custom=v',
  },
  {
    doc: OVERRIDE,
    says: '$context.requestOverride.header.name overrides a request header',
    template: "#set($context.requestOverride.header.header1 = 'h1')",
    expect: 'reqheader.header1=h1',
  },
  {
    doc: OVERRIDE,
    says: '$context.requestOverride.querystring.name overrides a query parameter',
    template: "#set($context.requestOverride.querystring.q = 'x')",
    expect: 'reqquery.q=x',
  },
  {
    doc: OVERRIDE,
    says: 'overrides are final: a second override of the same parameter fails (API Gateway answers 5XX)',
    template: '#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 401)',
    expect: 'error:VTL_RUNTIME:500',
  },
  {
    doc: OVERRIDE,
    says: 'a second override of the same header fails too',
    template: "#set($context.requestOverride.header.h = 'a')#set($context.requestOverride.header.h = 'b')",
    expect: 'error:VTL_RUNTIME:500',
  },
  {
    doc: OVERRIDE,
    says: '$context.requestOverride.path.name overrides a path parameter',
    template: "#set($context.requestOverride.path.id = '42')",
    expect: 'reqpath.id=42',
  },

  // stage variables
  {
    doc: STAGEVARS,
    says: '$stageVariables.<name> in a mapping template',
    template: '$stageVariables.version',
    input: { stageVariables: { version: 'v1' } },
    expect: 'v1',
  },
  {
    doc: STAGEVARS,
    says: '${stageVariables.<name>} in a mapping template',
    template: '{ "name" : "${stageVariables.version}"}',
    input: { stageVariables: { version: 'v1' } },
    expect: '{ "name" : "v1"}',
  },
  {
    doc: REF,
    says: "$stageVariables['<name>']",
    template: "$stageVariables['version']",
    input: { stageVariables: { version: 'v1' } },
    expect: 'v1',
  },
  {
    doc: REF,
    says: "${stageVariables['<name>']}",
    template: "${stageVariables['version']}",
    input: { stageVariables: { version: 'v1' } },
    expect: 'v1',
  },

  // mapping templates in general
  {
    doc: PHOTOS,
    says: 'the photo album request template (#foreach with $foreach.hasNext commas) gives the documented output',
    template: photosTemplate,
    input: { body: photosBody },
    expect: (out) => expect(JSON.parse(out)).toEqual(photosOutput),
  },
  {
    doc: REF,
    says: 'the POST body passed through with "body" : $input.json(\'$\')',
    template: '{"body": $input.json(\'$\')}',
    input: { body: '{ "a" : [1, 2.5, true, null] }' },
    expect: '{"body": {"a":[1,2.5,true,null]}}',
  },
  {
    doc: QUOTAS,
    says: 'number of iterations in a #foreach ... #end loop: 1000 (the loop stops; AWS does not say what happens after)',
    template: '#foreach($i in [1..1500])#set($n = $i)#end$n',
    expect: '1000',
  },
  {
    doc: QUOTAS,
    says: 'maximum mapping template size: 300 KB (read as 300 × 1024 UTF-8 bytes)',
    template: 'x'.repeat(300 * 1024 + 1),
    expect: 'error:VTL_TEMPLATE_TOO_LARGE',
  },
  {
    doc: QUOTAS,
    says: 'a template of exactly 300 KB is accepted',
    template: 'x'.repeat(300 * 1024),
    expect: (out) => expect(out.length).toBe(300 * 1024),
  },
]

function render(row: Row): string {
  try {
    const r = compileMappingTemplate(row.template)(row.input ?? {})
    const extra: string[] = []
    if (r.responseOverride.status !== undefined) extra.push(`status=${r.responseOverride.status}`)
    for (const [k, v] of Object.entries(r.responseOverride.header)) extra.push(`header.${k}=${v}`)
    for (const [k, v] of Object.entries(r.requestOverride.header)) extra.push(`reqheader.${k}=${v}`)
    for (const [k, v] of Object.entries(r.requestOverride.querystring)) extra.push(`reqquery.${k}=${v}`)
    for (const [k, v] of Object.entries(r.requestOverride.path)) extra.push(`reqpath.${k}=${v}`)
    return [r.body, ...extra].filter((x) => x !== '').join('|')
  } catch (e) {
    if (!(e instanceof VtlError)) throw e
    if (e.code === 'VTL_INVALID_PAYLOAD') return `error:${e.code}:${e.status}:${e.message}`
    return e.code === 'VTL_RUNTIME' ? `error:${e.code}:${e.status}` : `error:${e.code}`
  }
}

describe('API Gateway documented template behaviours', () => {
  it('has at least 60 rows, each citing its source', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60)
    for (const r of rows)
      expect(r.doc).toMatch(
        /^https:\/\/docs\.aws\.amazon\.com\/apigateway\/latest\/developerguide\/[a-z0-9-]+\.html$|^observed |^derived: |^not found /,
      )
  })
  it.each(rows.map((r, i) => [i + 1, r.says, r] as const))('%i. %s', (_i, _says, row) => {
    const out = render(row)
    if (typeof row.expect === 'function') row.expect(out)
    else expect(out).toBe(row.expect)
  })
})

describe('overrides seeded from the request template (`input.overrides`)', () => {
  const first = compileMappingTemplate(
    '#set($context.responseOverride.status = 444)#set($context.requestOverride.path.body = "b")#set($context.responseOverride.custom = "c")',
  )({ context: {} })

  it('are read by the next template and kept in its result', () => {
    const r = compileMappingTemplate(
      '$context.responseOverride.status $context.requestOverride.path.body $context.responseOverride.custom',
    )({
      context: {},
      overrides: first,
    })
    expect(r.body).toBe('444 b c')
    expect(r.responseOverride).toEqual({ header: {}, status: 444, custom: 'c' })
    expect(r.requestOverride).toEqual({ header: {}, path: { body: 'b' }, querystring: {} })
  })

  it('are kept by a template that does not name $context', () => {
    expect(compileMappingTemplate('plain')({ overrides: first }).responseOverride.status).toBe(444)
  })

  it('are final: setting one again is VTL_RUNTIME', () => {
    const t = compileMappingTemplate('#set($context.requestOverride.path.body = "again")')
    expect(() => t({ context: {}, overrides: first })).toThrow(VtlError)
  })

  it('leave the seed untouched', () => {
    compileMappingTemplate('#set($context.requestOverride.path.other = "x")')({ context: {}, overrides: first })
    expect(first.requestOverride.path).toEqual({ body: 'b' })
  })
})
