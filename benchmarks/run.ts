/**
 * `npm run bench [name…]`: runs benchmarks/<name>.bench.ts (all of them by default), prints each table and
 * writes benchmarks/RESULTS.md with the machine, Node and peer versions.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { formatOps, type Section } from './harness.js'

const dir = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort()

/** A figure of a table; NaN where a row has none (a reported figure without a peer). */
const figure = (n: number) => (Number.isNaN(n) ? '—' : formatOps(n))

function table(s: Section): string {
  const lines = [
    `### ${s.title}`,
    '',
    `Peers: ${Object.entries(s.peers)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`,
    '',
    `| case | gatehouse (${s.unit}) | ${s.peerName} (${s.unit}) | ratio | goal |`,
    '|---|---:|---:|---:|---:|',
    ...s.rows.map(
      (r) =>
        `| ${r.name} | ${figure(r.ours)} | ${figure(r.peer)} | ${Number.isNaN(r.ratio) ? '—' : `${r.ratio.toFixed(2)}×`} | ${
          r.goal === undefined ? '' : `${r.goal}× ${r.ratio >= r.goal ? 'met' : 'missed'}`
        } |`,
    ),
    ...(s.notes?.length ? ['', ...s.notes.map((n) => `- ${n}`)] : []),
    '',
  ]
  return lines.join('\n')
}

// RESULTS.md keeps one block per bench file, so running a subset replaces only those blocks.
const resultsPath = `${dir}RESULTS.md`
const blocks = new Map<string, string>()
if (existsSync(resultsPath)) {
  for (const m of readFileSync(resultsPath, 'utf8').matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    blocks.set(m[1]!, m[2]!)
  }
}
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const machine =
  `${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ` +
  `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '')
  const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<Section | Section[]> }
  const result = await mod.default()
  const texts = (Array.isArray(result) ? result : [result]).map(table)
  for (const text of texts) console.log(text)
  // A subset run keeps the other blocks as they were: each block says when and where it was measured.
  blocks.set(name, `_Run on ${machine}._\n\n${texts.join('\n')}`)
}

const header = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (`npm run bench -- router schema` reruns a subset; the other blocks stay as they were). Each block starts with the date and machine of its run.',
  "Figures are medians of timed rounds in one process, the two sides alternating; ratio = gatehouse ÷ peer (higher is better), the median of the rounds' own ratios. Before any row is timed, every case of a table runs on both sides, interleaved, so each row is timed with the type feedback a mix of requests leaves (not on code specialised to its one input).",
  '',
]
const body = [...blocks.keys()].sort().map((name) => `<!-- bench:${name} -->\n${blocks.get(name)}<!-- /bench:${name} -->\n`)
writeFileSync(resultsPath, [...header, ...body].join('\n'))
