import { describe, expect, test } from 'vitest'
import { createRouter, RouterError, type RouteDefinition, type RouterErrorCode } from '@gatehousejs/router'

function r(method: string, path: string): RouteDefinition<string> {
  return { method, path, value: `${method} ${path}` }
}

function expectError(routes: RouteDefinition<string>[], code: RouterErrorCode): void {
  let caught: unknown
  try {
    createRouter(routes)
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(RouterError)
  expect((caught as RouterError).code).toBe(code)
}

describe('templates', () => {
  test('root, literal, parameter and greedy segments', () => {
    const router = createRouter([r('GET', '/'), r('GET', '/pets'), r('GET', '/pets/{id}'), r('GET', '/files/{key+}')])
    expect(router.find('GET', '/')?.value).toBe('GET /')
    expect(router.find('GET', '/pets')?.value).toBe('GET /pets')
    expect(router.find('GET', '/pets/7')).toEqual({ value: 'GET /pets/{id}', params: { id: '7' }, route: r('GET', '/pets/{id}') })
    expect(router.find('GET', '/files/a/b/c')?.params).toEqual({ key: 'a/b/c' })
  })

  test('several parameters, in path order', () => {
    const router = createRouter([r('GET', '/repos/{owner}/{repo}/issues/{number}/{rest+}')])
    expect(router.find('GET', '/repos/o/r/issues/12/x/y')?.params).toEqual({ owner: 'o', repo: 'r', number: '12', rest: 'x/y' })
  })

  test('invalid templates throw RouterError with a code', () => {
    expectError([r('GET', 'pets')], 'INVALID_PATH')
    expectError([r('GET', '')], 'INVALID_PATH')
    expectError([r('GET', '/pets//x')], 'INVALID_PATH')
    expectError([r('GET', '/pets/')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{id')], 'INVALID_PATH')
    expectError([r('GET', '/pets/id}')], 'INVALID_PATH')
    expectError([r('GET', '/pets/x{id}')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{id}x')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{a}{b}')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{}')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{+}')], 'INVALID_PATH')
    expectError([r('GET', '/pets/{a b}')], 'INVALID_PATH')
    expectError([r('GET', '/{proxy+}/x')], 'GREEDY_NOT_LAST')
    expectError([r('GET', '/{id}/{id}')], 'DUPLICATE_PARAMETER')
    expectError([r('GET', '/pets'), r('GET', '/pets')], 'DUPLICATE_ROUTE')
    expectError([r('get', '/pets'), r('GET', '/pets')], 'DUPLICATE_ROUTE')
    expectError([r('ANY', '/pets'), r('ANY', '/pets')], 'DUPLICATE_ROUTE')
    expectError([r('ANY', '$default'), r('GET', '$default')], 'DUPLICATE_ROUTE')
    expectError([r('GET', '/pets/{id}'), r('PUT', '/pets/{petId}')], 'CONFLICTING_PARAMETER')
    expectError([r('GET', '/a/{x}/b'), r('GET', '/a/{y}/c')], 'CONFLICTING_PARAMETER')
    expectError([r('GET', '/{a+}'), r('PUT', '/{b+}')], 'CONFLICTING_PARAMETER')
    expectError([r('', '/pets')], 'INVALID_METHOD')
    expectError([r('GE T', '/pets')], 'INVALID_METHOD')
  })

  test('the error names the route', () => {
    try {
      createRouter([r('GET', '/a/{p+}/b')])
      expect.unreachable()
    } catch (err) {
      expect(err).toMatchObject({ name: 'RouterError', code: 'GREEDY_NOT_LAST', method: 'GET', path: '/a/{p+}/b' })
    }
  })

  test('rejectVariableSiblings refuses {param} beside {greedy+} under one parent, as REST APIs do', () => {
    for (const defs of [
      [r('GET', '/pets/{id}'), r('ANY', '/pets/{proxy+}')],
      [r('ANY', '/{proxy+}'), r('GET', '/{id}/x')],
    ]) {
      try {
        createRouter(defs, { rejectVariableSiblings: true })
        expect.unreachable()
      } catch (err) {
        expect(err).toMatchObject({ code: 'CONFLICTING_PARAMETER' })
        expect((err as Error).message).toContain('only one is allowed')
      }
      expect(() => createRouter(defs)).not.toThrow()
    }
    expect(() => createRouter([r('GET', '/pets/{id}'), r('ANY', '/{proxy+}')], { rejectVariableSiblings: true })).not.toThrow()
  })

  test('same parameter name in sibling routes is fine; parameter beside greedy is accepted', () => {
    const router = createRouter([r('GET', '/pets/{id}'), r('PUT', '/pets/{id}'), r('ANY', '/pets/{proxy+}')])
    expect(router.find('PUT', '/pets/1')?.value).toBe('PUT /pets/{id}')
    expect(router.find('GET', '/pets/1/x')?.value).toBe('ANY /pets/{proxy+}')
  })
})

describe('precedence', () => {
  const router = createRouter([
    r('GET', '/pets/dog/1'),
    r('GET', '/pets/dog/{id}'),
    r('GET', '/pets/{proxy+}'),
    r('ANY', '/{proxy+}'),
    r('ANY', '$default'),
  ])

  // The example table of "Routing API requests" in the HTTP API developer guide.
  test.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/pets/cat/1', 'ANY /{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
    ['GET', '/', 'ANY $default'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(router.find(method, path)?.value).toBe(expected)
  })

  test('literal before parameter before greedy at each level, with backtracking', () => {
    const rt = createRouter([r('GET', '/a/b/c'), r('GET', '/{x}/b/d'), r('GET', '/{x}/{y}/e')])
    expect(rt.find('GET', '/a/b/c')?.value).toBe('GET /a/b/c')
    expect(rt.find('GET', '/a/b/d')).toMatchObject({ value: 'GET /{x}/b/d', params: { x: 'a' } })
    expect(rt.find('GET', '/a/b/e')).toMatchObject({ value: 'GET /{x}/{y}/e', params: { x: 'a', y: 'b' } })
    expect(rt.find('GET', '/z/b/f')).toBeNull()
    // Earlier positions weigh more: /a/{rest+} beats /{x}/b/d because of its literal first segment.
    const rt2 = createRouter([r('GET', '/{x}/b/d'), r('GET', '/a/{rest+}')])
    expect(rt2.find('GET', '/a/b/d')).toMatchObject({ value: 'GET /a/{rest+}', params: { rest: 'b/d' } })
    expect(rt2.find('GET', '/z/b/d')).toMatchObject({ value: 'GET /{x}/b/d', params: { x: 'z' } })
  })

  test('greedyLast: any non-greedy match beats every greedy match (HTTP API precedence)', () => {
    const defs = [r('GET', '/{x}/b/d'), r('GET', '/a/{rest+}'), r('GET', '/a/{y}/{z+}')]
    const http = createRouter(defs, { greedyLast: true })
    expect(http.find('GET', '/a/b/d')).toMatchObject({ value: 'GET /{x}/b/d', params: { x: 'a' } })
    // Among greedy routes the usual order holds.
    expect(http.find('GET', '/a/b/e')).toMatchObject({ value: 'GET /a/{y}/{z+}', params: { y: 'b', z: 'e' } })
    expect(http.find('GET', '/a/b')).toMatchObject({ value: 'GET /a/{rest+}', params: { rest: 'b' } })
    expect(http.find('GET', '/q/b/e')).toBeNull()
    const rest = createRouter(defs)
    expect(rest.find('GET', '/a/b/d')).toMatchObject({ value: 'GET /a/{y}/{z+}', params: { y: 'b', z: 'd' } })
  })

  test('exact method before ANY on the same resource; the path is more specific than the method', () => {
    const rt = createRouter([r('ANY', '/pets/{id}'), r('GET', '/pets/{id}'), r('GET', '/pets/{proxy+}')])
    expect(rt.find('GET', '/pets/1')?.value).toBe('GET /pets/{id}')
    expect(rt.find('DELETE', '/pets/1')?.value).toBe('ANY /pets/{id}')
    expect(rt.find('GET', '/pets/1/2')?.value).toBe('GET /pets/{proxy+}')
    expect(rt.find('DELETE', '/pets/1/2')).toBeNull()
  })

  test('a method mismatch on a static route falls through to a less specific one', () => {
    const rt = createRouter([r('GET', '/pets/mine'), r('POST', '/pets/{id}')])
    expect(rt.find('POST', '/pets/mine')).toMatchObject({ value: 'POST /pets/{id}', params: { id: 'mine' } })
    expect(rt.find('PUT', '/pets/mine')).toBeNull()
  })

  test('a greedy resource does not match its parent path', () => {
    const rt = createRouter([r('ANY', '/a/{proxy+}'), r('ANY', '/{root+}')])
    expect(rt.find('GET', '/a')?.value).toBe('ANY /{root+}')
    expect(rt.find('GET', '/a/')?.value).toBe('ANY /{root+}')
    expect(rt.find('GET', '/a/x')?.value).toBe('ANY /a/{proxy+}')
    expect(rt.find('GET', '/')).toBeNull()
    expect(createRouter([r('ANY', '/a/{proxy+}')]).find('GET', '/a')).toBeNull()
  })

  test('$default catches what nothing else matches, whatever the method and path', () => {
    const rt = createRouter([r('GET', '/pets'), { method: 'GET', path: '$default', value: 'fallback' }])
    expect(rt.find('GET', '/pets')?.value).toBe('GET /pets')
    expect(rt.find('POST', '/pets')).toMatchObject({ value: 'fallback', params: {} })
    expect(rt.find('GET', '/nope/x')?.value).toBe('fallback')
    expect(rt.find('GET', '*')?.value).toBe('fallback')
    expect(rt.find('GET', '/')?.value).toBe('fallback')
  })

  test('matching is case sensitive; route methods are normalised to upper case', () => {
    const rt = createRouter([r('get', '/Pets')])
    expect(rt.find('GET', '/Pets')?.value).toBe('get /Pets')
    expect(rt.find('GET', '/pets')).toBeNull()
    expect(rt.find('get', '/Pets')).toBeNull()
  })

  test('no implicit HEAD or OPTIONS', () => {
    const rt = createRouter([r('GET', '/pets')])
    expect(rt.find('HEAD', '/pets')).toBeNull()
    expect(rt.find('OPTIONS', '/pets')).toBeNull()
  })
})

describe('paths on the wire', () => {
  const router = createRouter([r('GET', '/'), r('GET', '/pets'), r('GET', '/pets/{id}'), r('ANY', '/files/{proxy+}'), r('ANY', '/{any+}')])

  test('trailing slashes are ignored (and stripped from greedy values)', () => {
    expect(router.find('GET', '/pets/')?.value).toBe('GET /pets')
    expect(router.find('GET', '/pets//')?.value).toBe('GET /pets')
    expect(router.find('GET', '/pets/7/')?.params).toEqual({ id: '7' })
    expect(router.find('GET', '/files/a/b/')?.params).toEqual({ proxy: 'a/b' })
  })

  test('extra leading slashes are dropped', () => {
    expect(router.find('GET', '//pets')?.value).toBe('GET /pets')
    expect(router.find('GET', '///pets/7')?.params).toEqual({ id: '7' })
    expect(router.find('GET', '//')?.value).toBe('GET /')
    expect(router.find('GET', '')?.value).toBe('GET /')
  })

  test('inner // never matches a literal or {param}, and is kept inside greedy values', () => {
    expect(router.find('GET', '/files/a//b')?.params).toEqual({ proxy: 'a//b' })
    expect(router.find('GET', '/pets//7')).toMatchObject({ value: 'ANY /{any+}', params: { any: 'pets//7' } })
    expect(router.find('GET', '/files//b')?.params).toEqual({ proxy: '/b' })
  })

  test('values stay percent-encoded by default (REST API behaviour)', () => {
    expect(router.find('GET', '/pets/a%20b')?.params).toEqual({ id: 'a%20b' })
    expect(router.find('GET', '/files/user/test%2Balias@x.com/plus/test+alias@x.com')?.params).toEqual({
      proxy: 'user/test%2Balias@x.com/plus/test+alias@x.com',
    })
    // %2F does not split a segment.
    expect(router.find('GET', '/pets/a%2Fb')?.params).toEqual({ id: 'a%2Fb' })
  })

  test('decodeParams decodes values, never throwing on malformed escapes', () => {
    const rt = createRouter([r('GET', '/pets/{id}'), r('ANY', '/files/{proxy+}')], { decodeParams: true })
    expect(rt.find('GET', '/pets/a%20b')?.params).toEqual({ id: 'a b' })
    expect(rt.find('GET', '/pets/a%2Fb')?.params).toEqual({ id: 'a/b' })
    expect(rt.find('GET', '/pets/%E0%A4%A')?.params).toEqual({ id: '%E0%A4%A' })
    expect(rt.find('GET', '/pets/100%')?.params).toEqual({ id: '100%' })
    expect(rt.find('GET', '/files/x%2By/%zz')?.params).toEqual({ proxy: 'x%2By/%zz' })
    expect(rt.find('GET', '/files/x%2By/z')?.params).toEqual({ proxy: 'x+y/z' })
  })

  test('literal segments compare raw: an escaped literal does not match', () => {
    expect(router.find('GET', '/p%65ts')?.value).toBe('ANY /{any+}')
  })

  test('a path not starting with / matches nothing but $default', () => {
    expect(router.find('GET', 'pets')).toBeNull()
    expect(router.find('GET', '*')).toBeNull()
  })

  test('never throws on odd input', () => {
    for (const p of ['%', '/%', '/%E0%A4%A', '/\u0000', '/pets/\uD800', '/////', '/pets?x=1', '/a\\b']) {
      expect(() => router.find('GET', p)).not.toThrow()
    }
    expect(() => router.find(undefined as unknown as string, undefined as unknown as string)).not.toThrow()
  })
})

describe('methods', () => {
  test('a method no route names still reaches ANY routes', () => {
    const rt = createRouter([r('GET', '/pets'), r('ANY', '/pets/{id}'), r('ANY', '/{proxy+}')])
    expect(rt.find('PROPFIND', '/pets/1')?.value).toBe('ANY /pets/{id}')
    expect(rt.find('PROPFIND', '/pets')?.value).toBe('ANY /{proxy+}')
    expect(rt.find('GET', '/pets')?.value).toBe('GET /pets')
  })

  test('without ANY routes an unknown method matches only $default', () => {
    const rt = createRouter([r('GET', '/pets'), { method: 'ANY', path: '$default', value: 'd' }])
    expect(rt.find('BREW', '/pets')?.value).toBe('d')
    expect(createRouter([r('GET', '/pets')]).find('BREW', '/pets')).toBeNull()
  })

  test('the request method ANY is just another method name', () => {
    const rt = createRouter([r('GET', '/pets'), r('ANY', '/any')])
    expect(rt.find('ANY', '/pets')).toBeNull()
    expect(rt.find('ANY', '/any')?.value).toBe('ANY /any')
  })
})

describe('results', () => {
  test('odd parameter names are plain own keys', () => {
    const rt = createRouter([r('GET', '/{__proto__}/{constructor}'), r('GET', '/x/{a.b-c_d}')])
    const m = rt.find('GET', '/p/q')
    expect(Object.getOwnPropertyDescriptor(m?.params, '__proto__')?.value).toBe('p')
    expect(m?.params.constructor).toBe('q')
    expect(Object.getPrototypeOf(m?.params)).toBe(Object.prototype)
    expect(rt.find('GET', '/x/1')?.params).toEqual({ 'a.b-c_d': '1' })
  })

  test('decodeParams applies to greedy values too, and never to matching', () => {
    const rt = createRouter([r('GET', '/a%20b/{id}'), r('ANY', '/f/{p+}')], { decodeParams: true })
    expect(rt.find('GET', '/a%20b/x%20y')?.params).toEqual({ id: 'x y' })
    expect(rt.find('GET', '/a b/x')).toBeNull()
    expect(rt.find('GET', '/f/a%2Fb/c%20d')?.params).toEqual({ p: 'a/b/c d' })
  })

  test('routes without parameters return a shared frozen result', () => {
    const rt = createRouter([r('GET', '/pets')])
    const a = rt.find('GET', '/pets')
    expect(a).toBe(rt.find('GET', '/pets/'))
    expect(Object.isFrozen(a)).toBe(true)
    expect(Object.isFrozen(a?.params)).toBe(true)
  })

  test('routes with parameters return a fresh params object each time', () => {
    const rt = createRouter([r('GET', '/pets/{id}')])
    const a = rt.find('GET', '/pets/1')
    const b = rt.find('GET', '/pets/2')
    expect(a?.params).toEqual({ id: '1' })
    expect(b?.params).toEqual({ id: '2' })
    expect(a?.route).toBe(b?.route)
  })

  test('routes keeps the definitions in order', () => {
    const defs = [r('GET', '/b'), r('GET', '/a')]
    expect(createRouter(defs).routes).toEqual(defs)
  })

  test('an empty table matches nothing', () => {
    expect(createRouter([]).find('GET', '/')).toBeNull()
  })
})

describe('allowedMethods', () => {
  const router = createRouter([
    r('GET', '/pets'),
    r('POST', '/pets'),
    r('GET', '/pets/{id}'),
    r('ANY', '/files/{proxy+}'),
    { method: 'ANY', path: '$default', value: 'x' },
  ])

  test('lists the methods of every matching resource', () => {
    expect(router.allowedMethods('/pets')).toEqual(['GET', 'POST'])
    expect(router.allowedMethods('/pets/')).toEqual(['GET', 'POST'])
    expect(router.allowedMethods('/pets/1')).toEqual(['GET'])
    expect(router.allowedMethods('/files/a/b')).toEqual(['ANY'])
  })

  test('reports ANY and exact methods side by side, and works before any find', () => {
    const rt = createRouter([r('GET', '/a/{id}'), r('ANY', '/a/{id}'), r('DELETE', '/{p+}')])
    expect(rt.allowedMethods('/a/1')).toEqual(['ANY', 'DELETE', 'GET'])
    expect(rt.allowedMethods('/a')).toEqual(['DELETE'])
    expect(rt.allowedMethods('//a/1/')).toEqual(['ANY', 'DELETE', 'GET'])
  })

  test('is empty when no resource matches ($default aside)', () => {
    expect(router.allowedMethods('/files')).toEqual([])
    expect(router.allowedMethods('/nope')).toEqual([])
    expect(router.allowedMethods('nope')).toEqual([])
    expect(router.allowedMethods('/')).toEqual([])
  })
})

describe('documented examples', () => {
  test('the README example', () => {
    const router = createRouter([
      { method: 'GET', path: '/pets', value: 'listPets' },
      { method: 'GET', path: '/pets/{petId}', value: 'getPet' },
      { method: 'ANY', path: '/{proxy+}', value: 'proxy' },
      { method: 'ANY', path: '$default', value: 'fallback' },
    ])
    expect(router.find('GET', '/pets/42')).toMatchObject({ value: 'getPet', params: { petId: '42' } })
    expect(router.find('POST', '/pets/42')).toMatchObject({ value: 'proxy', params: { proxy: 'pets/42' } })
    expect(router.find('GET', '/')).toMatchObject({ value: 'fallback', params: {} })
    expect(router.allowedMethods('/pets')).toEqual(['ANY', 'GET'])
  })

  test('the createRouter TSDoc example', () => {
    const router = createRouter([
      { method: 'GET', path: '/', value: 'root' },
      { method: 'GET', path: '/pets', value: 'list' },
      { method: 'GET', path: '/pets/{id}', value: 'get' },
      { method: 'ANY', path: '/files/{proxy+}', value: 'files' },
      { method: 'ANY', path: '$default', value: 'fallback' },
    ])
    expect(router.find('GET', '/pets/42')?.params).toEqual({ id: '42' })
    expect(router.find('PUT', '/files/a//b%2Bc')?.params).toEqual({ proxy: 'a//b%2Bc' })
    expect(router.find('GET', '/files')?.value).toBe('fallback')
  })
})
