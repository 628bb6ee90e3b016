import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BenchRun, FanoutResult } from '../scenarios/results.js'
import { fanoutSeries, latencyChart } from './chart.js'
import { resultsMarkdown } from './markdown.js'

const START = '<!-- bench:results:start (written by npm run bench; edit outside the markers) -->'
const END = '<!-- bench:results:end -->'
const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url))

function chart (run: BenchRun, path: string): boolean {
  const runs = run.records.filter((r) => r.scenario === 'fanout' && r.result?.kind === 'fanout')
    .map((r) => ({ system: r.system, pass: r.pass, result: r.result as FanoutResult }))
  if (runs.length === 0) return false
  writeFileSync(path, latencyChart(fanoutSeries(runs), 'Fan-out: p99 latency against offered rate'))
  return true
}

/** Puts `section` between the markers of `path`, keeping what is written around them. */
function splice (path: string, section: string): void {
  const block = `${START}\n\n${section}\n${END}`
  if (!existsSync(path)) {
    writeFileSync(path, `# Benchmarks\n\n${block}\n`)
    return
  }
  const text = readFileSync(path, 'utf8')
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  writeFileSync(path, start === -1 || end === -1 ? `${text.trimEnd()}\n\n${block}\n` : text.slice(0, start) + block + text.slice(end + END.length))
}

/** Writes the summary and chart next to the run's JSON, and into docs/ when asked. Returns the paths. */
export function writeReport (run: BenchRun, options: { docs: boolean, resultsDir: string, stamp: string }): string[] {
  const written: string[] = []
  const svg = `${options.resultsDir}latency-${options.stamp}.svg`
  const hasChart = chart(run, svg)
  if (hasChart) written.push(svg)
  const summary = `${options.resultsDir}summary-${options.stamp}.md`
  writeFileSync(summary, resultsMarkdown(run, hasChart ? `latency-${options.stamp}.svg` : null))
  written.push(summary)
  if (options.docs) {
    const docSvg = `${docsDir}benchmarks-latency.svg`
    if (hasChart) {
      writeFileSync(docSvg, readFileSync(svg))
      written.push(docSvg)
      const png = `${docsDir}benchmarks-latency.png`
      try {
        execFileSync('rsvg-convert', ['-o', png, docSvg], { stdio: 'ignore', timeout: 30_000 })
        if (existsSync(png)) written.push(png)
      } catch { /* no converter: the SVG is the chart */ }
    }
    splice(`${docsDir}benchmarks.md`, resultsMarkdown(run, hasChart ? 'benchmarks-latency.svg' : null))
    written.push(`${docsDir}benchmarks.md`)
  }
  return written
}
