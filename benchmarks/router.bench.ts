/**
 * @gatehousejs/router beside find-my-way on a GitHub-API-like table of ~100 routes.
 *
 * Each lookup gets a freshly made flat path string (as `req.url` is in a server), so neither router profits from a
 * string hash cached by the previous iteration.
 */
import FindMyWay from 'find-my-way'
import { createRouter, type RouteDefinition } from '@gatehousejs/router'
import { compare, cpuTimeRatios, versionOf, type Case, type Section } from './harness.js'

const templates: Array<[string, string]> = [
  ['GET', '/'],
  ['GET', '/user'],
  ['PATCH', '/user'],
  ['GET', '/user/repos'],
  ['POST', '/user/repos'],
  ['GET', '/user/orgs'],
  ['GET', '/user/emails'],
  ['GET', '/user/followers'],
  ['GET', '/user/following'],
  ['GET', '/user/following/{username}'],
  ['PUT', '/user/following/{username}'],
  ['DELETE', '/user/following/{username}'],
  ['GET', '/user/keys'],
  ['GET', '/user/keys/{key_id}'],
  ['GET', '/user/starred'],
  ['GET', '/user/starred/{owner}/{repo}'],
  ['GET', '/emojis'],
  ['GET', '/events'],
  ['GET', '/feeds'],
  ['GET', '/meta'],
  ['GET', '/rate_limit'],
  ['GET', '/octocat'],
  ['GET', '/zen'],
  ['GET', '/licenses'],
  ['GET', '/licenses/{license}'],
  ['GET', '/gitignore/templates'],
  ['GET', '/gitignore/templates/{name}'],
  ['GET', '/notifications'],
  ['PUT', '/notifications'],
  ['GET', '/notifications/threads/{thread_id}'],
  ['GET', '/issues'],
  ['GET', '/repositories'],
  ['GET', '/organizations'],
  ['GET', '/search/code'],
  ['GET', '/search/commits'],
  ['GET', '/search/issues'],
  ['GET', '/search/labels'],
  ['GET', '/search/repositories'],
  ['GET', '/search/topics'],
  ['GET', '/search/users'],
  ['GET', '/gists'],
  ['POST', '/gists'],
  ['GET', '/gists/public'],
  ['GET', '/gists/starred'],
  ['GET', '/gists/{gist_id}'],
  ['PATCH', '/gists/{gist_id}'],
  ['DELETE', '/gists/{gist_id}'],
  ['GET', '/gists/{gist_id}/comments'],
  ['GET', '/gists/{gist_id}/comments/{comment_id}'],
  ['GET', '/gists/{gist_id}/commits'],
  ['GET', '/gists/{gist_id}/star'],
  ['GET', '/users'],
  ['GET', '/users/{username}'],
  ['GET', '/users/{username}/repos'],
  ['GET', '/users/{username}/orgs'],
  ['GET', '/users/{username}/gists'],
  ['GET', '/users/{username}/followers'],
  ['GET', '/users/{username}/following'],
  ['GET', '/users/{username}/following/{target_user}'],
  ['GET', '/users/{username}/keys'],
  ['GET', '/users/{username}/events'],
  ['GET', '/users/{username}/events/public'],
  ['GET', '/users/{username}/received_events'],
  ['GET', '/orgs/{org}'],
  ['PATCH', '/orgs/{org}'],
  ['GET', '/orgs/{org}/repos'],
  ['POST', '/orgs/{org}/repos'],
  ['GET', '/orgs/{org}/members'],
  ['GET', '/orgs/{org}/members/{username}'],
  ['DELETE', '/orgs/{org}/members/{username}'],
  ['GET', '/orgs/{org}/teams'],
  ['GET', '/orgs/{org}/teams/{team_slug}'],
  ['GET', '/orgs/{org}/teams/{team_slug}/members'],
  ['GET', '/orgs/{org}/hooks'],
  ['GET', '/orgs/{org}/hooks/{hook_id}'],
  ['GET', '/repos/{owner}/{repo}'],
  ['PATCH', '/repos/{owner}/{repo}'],
  ['DELETE', '/repos/{owner}/{repo}'],
  ['GET', '/repos/{owner}/{repo}/branches'],
  ['GET', '/repos/{owner}/{repo}/branches/{branch}'],
  ['GET', '/repos/{owner}/{repo}/branches/{branch}/protection'],
  ['GET', '/repos/{owner}/{repo}/collaborators'],
  ['GET', '/repos/{owner}/{repo}/collaborators/{username}'],
  ['GET', '/repos/{owner}/{repo}/commits'],
  ['GET', '/repos/{owner}/{repo}/commits/{ref}'],
  ['GET', '/repos/{owner}/{repo}/commits/{ref}/status'],
  ['GET', '/repos/{owner}/{repo}/contents/{path+}'],
  ['PUT', '/repos/{owner}/{repo}/contents/{path+}'],
  ['GET', '/repos/{owner}/{repo}/issues'],
  ['POST', '/repos/{owner}/{repo}/issues'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}'],
  ['PATCH', '/repos/{owner}/{repo}/issues/{issue_number}'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/labels'],
  ['GET', '/repos/{owner}/{repo}/labels'],
  ['GET', '/repos/{owner}/{repo}/pulls'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments'],
  ['GET', '/repos/{owner}/{repo}/releases'],
  ['GET', '/repos/{owner}/{repo}/releases/latest'],
  ['GET', '/repos/{owner}/{repo}/releases/{release_id}'],
  ['GET', '/repos/{owner}/{repo}/git/refs/{ref+}'],
  ['GET', '/static/{proxy+}'],
]

const defs: RouteDefinition<number>[] = templates.map(([method, path], i) => ({ method, path, value: i }))
const ours = createRouter(defs)

// find-my-way's spelling: `{x}` → `:x`, `{x+}` → `*` (its wildcard param is named `*`).
const names = new Map<number, string[]>()
function peerRouter(): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> {
  const router = FindMyWay()
  templates.forEach(([method, path], i) => {
    const fmwPath = path.replace(/\{[^}]+\+\}/, '*').replace(/\{([^}]+)\}/g, ':$1')
    names.set(
      i,
      [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!),
    )
    router.on(method as 'GET', fmwPath, () => undefined, { id: i })
  })
  return router
}
const fmw = peerRouter()
// find-my-way's opt-in compiler mode generates JavaScript for the whole tree: shown for reference, no goal.
const fmwCompiled = peerRouter().compile()

// Same route and the same parameter values, position by position.
function same(a: unknown, b: unknown): boolean {
  const o = a as { value: number; params: Record<string, string> } | null
  const p = b as { store: { id: number }; params: Record<string, string | undefined> } | null
  if (o === null || p === null) return o === p
  if (o.value !== p.store.id) return false
  const ov = names.get(o.value)!.map((n) => o.params[n])
  const pv = Object.values(p.params)
  return ov.length === pv.length && ov.every((v, i) => v === pv[i])
}

// Every call returns a brand-new flat string of the same text (no cached hash), like `req.url` from the HTTP
// parser. Slicing a padded copy gives that; concatenating halves would give a cons string whose flattening, paid
// on the first character read, would swamp both routers' own work.
function fresh(path: string): () => string {
  const padded = Buffer.from(`#${path}`, 'latin1').toString('latin1')
  return () => padded.slice(1)
}

const scenarios: Array<[string, string, string]> = [
  ['static, short', 'GET', '/user'],
  ['static, nested', 'GET', '/search/repositories'],
  ['parameter', 'GET', '/users/octocat'],
  ['parameter + literal tail', 'GET', '/orgs/nodejs/teams/core/members'],
  ['deep parameters', 'GET', '/repos/nodejs/node/pulls/51234/reviews/998877/comments'],
  ['greedy (wildcard)', 'GET', '/repos/nodejs/node/contents/lib/internal/http/server.js'],
  ['greedy at second level', 'GET', '/static/css/app/main.4f3a.css'],
  ['miss', 'GET', '/repos/nodejs/node/unknown/thing'],
  ['miss, wrong method', 'POST', '/search/repositories'],
]

/** The benchmark cases, exported for ad-hoc profiling. */
export function routerCases(peer = fmw): Case[] {
  return scenarios.map(([name, method, path]) => {
    const make = fresh(path)
    return {
      name: `${name}: ${method} ${path}`,
      ours: () => ours.find(method, make()),
      peer: () => peer.find(method as 'GET', make()),
      same,
    }
  })
}

export default async (): Promise<Section[]> => {
  const peers = { 'find-my-way': versionOf('find-my-way') }
  return [
    {
      title: `Route lookup, ${templates.length}-route GitHub-like table`,
      unit: 'lookups/s',
      peers,
      peerName: 'find-my-way',
      rows: await compare(routerCases(), 1),
      notes: [
        'Both routers get a fresh flat path string per lookup (sliced from a padded copy), as a server does with `req.url`.',
        'find-my-way in its default (tree-walking) mode; `{x}` → `:x`, `{x+}` → `*`; results compared (route + params) before timing.',
        "Before any row is timed both routers run every row's lookup, interleaved (harness `warmTogether`): a row timed on code that has seen only its own path measures each router specialised to that path (`GET /user` as the first row: ≈ 0.9×; after the other rows: ≈ 1.5×).",
        `CPU-time cross-check (ours ÷ find-my-way, median of alternating bursts): ${cpuTimeRatios(routerCases(), (name) => name.split(':')[0]!)}.`,
      ],
    },
    {
      title: 'Route lookup, same table, find-my-way in compiler mode (reference, no goal)',
      unit: 'lookups/s',
      peers,
      peerName: 'find-my-way compile()',
      rows: await compare(routerCases(fmwCompiled)),
      notes: ['`compile()` turns the whole tree into generated JavaScript; gatehouse generates only the params objects.'],
    },
  ]
}
