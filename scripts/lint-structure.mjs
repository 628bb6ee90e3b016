// The tree's shape, checked with `npm run lint`: no import cycle in services/, packages/ or web/
// (type-only imports count: a cycle of types still ties two modules together), and no source
// file there over MAX_LINES (small files, one concept each: see ../shared/STYLE.md).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import madge from 'madge'

const MAX_LINES = 300
const ROOTS = ['services', 'packages', 'web']
const SOURCE = /\.(ts|tsx|mts|js|mjs|css|html)$/
const GENERATED = /\.generated\.ts$/

const root = fileURLToPath(new URL('..', import.meta.url))
let failed = false

const graph = await madge(ROOTS.map((dir) => `${root}${dir}`), {
  fileExtensions: ['ts', 'tsx'],
  excludeRegExp: [/(^|[\\/])(dist|dist-server|node_modules|\.tap|coverage)[\\/]/],
  tsConfig: `${root}tsconfig.base.json`
})
const cycles = graph.circular()
for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' > ')} > ${cycle[0]}`)
if (cycles.length > 0) failed = true

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...ROOTS], { cwd: root, encoding: 'utf8' })
  .split('\n').filter((file) => SOURCE.test(file) && !GENERATED.test(file))
for (const file of files) {
  let text
  try { text = readFileSync(`${root}${file}`, 'utf8') } catch { continue }
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  if (lines > MAX_LINES) {
    console.error(`${file}: ${lines} lines, over ${MAX_LINES}: split it by concept`)
    failed = true
  }
}

console.log(`structure: ${Object.keys(graph.obj()).length} modules, ${cycles.length} import cycles; ${files.length} source files checked for length`)
process.exit(failed ? 1 : 0)
