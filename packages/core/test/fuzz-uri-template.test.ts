// HTTP integration URIs: parsed once, values encoded per part and spliced in, never re-resolved.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GatewayConfigError } from '@gatehousejs/core'
import {
  expandUriTemplate,
  forwardableQuery,
  isDotSegment,
  parseUriTemplate,
  type ExpandOptions,
  type HttpTarget,
} from '../src/integrations/uri-template'
import { fuzzParams } from '@gatehousejs/test-kit'

function expand(uri: string, values: Record<string, string>, opts: Partial<ExpandOptions> = {}): HttpTarget | string {
  return expandUriTemplate(parseUriTemplate(uri, '/uri'), {
    value: (n) => (Object.hasOwn(values, n) ? values[n] : undefined),
    greedy: (_n, written) => written,
    decoded: false,
    ...opts,
  })
}

describe('parseUriTemplate', () => {
  it('splits the template into authority, path and query once', () => {
    const t = parseUriTemplate('https://user:pw@backend.example.com:8443/api/{a}/x?q={b}&fixed=1#frag{c}', '/uri')
    expect(t.protocol).toBe('https:')
    expect(t.origin).toEqual({ protocol: 'https:', hostname: 'backend.example.com', port: 8443, auth: 'user:pw' })
    expect(t.names).toEqual(['a', 'b', 'c'])
    expect(t.path).toEqual(['/api/', { name: 'a', greedy: false }, '/x'])
    expect(t.query).toEqual(['q=', { name: 'b', greedy: false }, '&fixed=1'])
  })

  it('an empty path is /', () => {
    expect(expand('http://backend', {})).toMatchObject({ hostname: 'backend', path: '/' })
    expect(expand('http://backend?x=1', {})).toMatchObject({ path: '/?x=1' })
  })

  it.each([
    ['ftp://backend/x', 'absolute http(s)'],
    ['backend/x', 'absolute http(s)'],
    ['http:///x', 'invalid'],
    ['http://exa mple.com/', 'invalid'],
    ['http://backend/api/../admin/{proxy}', 'dot segment'],
    ['http://backend/api/%2e%2e/{proxy}', 'dot segment'],
  ])('refuses %s at build time', (uri, words) => {
    let error: unknown
    try {
      parseUriTemplate(uri, '/resources/x/uri')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(GatewayConfigError)
    expect((error as GatewayConfigError).pointer).toBe('/resources/x/uri')
    expect((error as GatewayConfigError).message).toContain(words)
  })

  it('encodes what a URL parser would have encoded in the fixed text, once', () => {
    expect(expand('http://backend/a b/é?x=a b', {})).toMatchObject({ path: '/a%20b/%C3%A9?x=a%20b' })
  })
})

describe('expandUriTemplate', () => {
  it('a {name} value is one segment: / ? # \\ and controls are encoded', () => {
    expect(expand('http://b/api/{id}/x', { id: 'a/b?c#d\\e\u0000 f' })).toMatchObject({ path: '/api/a%2Fb%3Fc%23d%5Ce%00%20f/x' })
  })

  it('REST values keep well-formed escapes as sent; a stray % is encoded', () => {
    expect(expand('http://b/{id}', { id: 'x%20y%zz%' })).toMatchObject({ path: '/x%20y%25zz%25' })
  })

  it('decoded values (HTTP APIs) encode every %', () => {
    expect(expand('http://b/{id}', { id: 'x%20y' }, { decoded: true })).toMatchObject({ path: '/x%2520y' })
  })

  it('a greedy value keeps its / as separators, each segment encoded', () => {
    expect(expand('http://b/api/{proxy+}', { proxy: 'a/b c/d%2Fe' })).toMatchObject({ path: '/api/a/b%20c/d%2Fe' })
  })

  it.each([
    '..',
    '.',
    '%2e%2e',
    '%2E%2e',
    '.%2E',
    '%252e%252e',
    '..;x',
    '..\\x',
    'x%2f..',
    '%5c..',
    '\uFF0E\uFF0E',
    '\u2025',
    '%u002e%u002e',
  ])('refuses a value that is (or a backend reads as) a dot segment: %s', (v) => {
    expect(expand('http://b/api/{proxy+}', { proxy: `a/${v}/admin` })).toBe('refused')
    expect(expand('http://b/api/{id}/x', { id: v })).toBe('refused')
  })

  it('dots that are not dot segments pass', () => {
    expect(expand('http://b/api/{proxy+}', { proxy: '.well-known/a..b/...' })).toMatchObject({ path: '/api/.well-known/a..b/...' })
    // Two placeholders that together would spell `..` in one segment are caught on the whole segment.
    expect(expand('http://b/api/{a}{b}', { a: '.', b: '.' })).toBe('refused')
  })

  it('a value in the query is one value: & = + # are encoded', () => {
    expect(expand('http://b/x?q={q}&z=1', { q: 'a&b=c+d#e f' })).toMatchObject({ path: '/x?q=a%26b%3Dc%2Bd%23e%20f&z=1' })
  })

  it('a placeholder in the host yields one hostname label or the request is refused', () => {
    expect(expand('http://{tenant}.example.com/x', { tenant: 'acme-1' })).toMatchObject({ hostname: 'acme-1.example.com', path: '/x' })
    for (const bad of ['evil.com/', 'a.b', 'x@evil.com', 'x:1', 'a%2eb', '', '-a', 'a'.repeat(64), 'é', 'a b', 'a/b', '..']) {
      expect(expand('http://{tenant}.example.com/x', { tenant: bad }), bad).toBe('refused')
    }
  })

  it('a placeholder without a value is missing (500), never sent as text', () => {
    expect(expand('http://b/api/{proxy}', {})).toBe('missing')
    expect(expand('http://b/api?x={q}', {})).toBe('missing')
  })

  it('the client query is forwarded as sent, but cannot carry a fragment or raw bytes Node would refuse', () => {
    expect(forwardableQuery('a=1&b=%20&c=x y#z\u0001é')).toBe('a=1&b=%20&c=x%20y%23z%01%C3%A9')
  })
})

describe('isDotSegment', () => {
  it('decodes at most 4 times, then refuses a segment that still changes', () => {
    expect(isDotSegment('%2525252e')).toBe(true)
    expect(isDotSegment('%252525252541')).toBe(true)
    expect(isDotSegment('%25252541')).toBe(false)
    expect(isDotSegment('100%25')).toBe(false)
  })
})

describe('property: the fixed prefix is kept and every value stays in its place', () => {
  const piece = fc.oneof(
    fc.constantFrom(
      '.',
      '..',
      '/',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      '\\',
      ';',
      '%25',
      '%',
      '?',
      '#',
      '&',
      '=',
      '@',
      ':',
      ' ',
      '\u0000',
      'é',
      '\uFF0E',
      '%u002e',
    ),
    fc.string({ maxLength: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  )
  const value = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''))
  const template = parseUriTemplate('http://backend:8080/api/v1/{id}/items/{proxy}?q={q}', '/uri')

  it('holds for arbitrary values, REST and HTTP API encodings', () => {
    fc.assert(
      fc.property(value, value, value, fc.boolean(), (id, proxy, q, decoded) => {
        const out = expandUriTemplate(template, { value: (n) => ({ id, proxy, q })[n], greedy: (n) => n === 'proxy', decoded })
        if (typeof out === 'string') {
          expect(out).toBe('refused')
          return
        }
        expect(out.hostname).toBe('backend')
        expect(out.port).toBe(8080)
        // Only printable ASCII: what Node sends as it is.
        expect(out.path).toMatch(/^[\x21-\x7e]*$/)
        const [path, query] = [out.path.slice(0, out.path.indexOf('?')), out.path.slice(out.path.indexOf('?') + 1)]
        expect(query.startsWith('q=')).toBe(true)
        expect(query.includes('&')).toBe(false)
        expect(query.includes('#')).toBe(false)
        const segments = path.split('/')
        expect(segments.slice(0, 3)).toEqual(['', 'api', 'v1'])
        expect(segments[4]).toBe('items')
        for (const s of segments.slice(1)) expect(isDotSegment(s)).toBe(false)
        // WHATWG resolution changes nothing: the path is already in normal form.
        expect(new URL(path, 'http://backend:8080').pathname).toBe(path)
      }),
      fuzzParams(500),
    )
  })
})

describe('property: parsing any template throws nothing but GatewayConfigError', () => {
  it('holds for arbitrary templates and values', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'http://',
        'https://',
        'h',
        '{',
        '}',
        '{a}',
        '{a+}',
        '/',
        '?',
        '#',
        '@',
        ':',
        '%',
        '%2e',
        '..',
        '.',
        '[',
        ']',
        ' ',
        'é',
        '\\',
      ),
      fc.string({ maxLength: 3 }),
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        fc.string({ maxLength: 8 }),
        (source, value) => {
          let t
          try {
            t = parseUriTemplate(source, '/uri')
          } catch (e) {
            expect(e).toBeInstanceOf(GatewayConfigError)
            return
          }
          for (const decoded of [false, true]) {
            const out = expandUriTemplate(t, { value: () => value, greedy: (_n, w) => w, decoded })
            if (typeof out !== 'string') expect(out.path).toMatch(/^\/[\x21-\x7e]*$/)
          }
        },
      ),
      fuzzParams(2000),
    )
  })
})
