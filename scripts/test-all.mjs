// Runs every workspace's tap suite in turn and ends with one summary line:
// "tests: N passed, N failed". Exits non-zero when any suite fails.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

if (!process.env.REDIS_URL && spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL')
  process.exit(1)
}

const only = process.argv.slice(2)
const workspaces = root.workspaces.filter((ws) => {
  if (only.length > 0 && !only.some((o) => ws.includes(o))) return false
  try {
    return Boolean(JSON.parse(readFileSync(new URL(`../${ws}/package.json`, import.meta.url), 'utf8')).scripts?.test)
  } catch { return false }
})

let passed = 0
let failed = 0
const failedSuites = []
for (const ws of workspaces) {
  console.log(`\n=== ${ws}`)
  const started = Date.now()
  const { code, output } = await new Promise((resolve) => {
    let output = ''
    const child = spawn('npm', ['test', '--silent', '-w', ws], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d) })
    child.stderr.on('data', (d) => { process.stderr.write(d) })
    child.on('close', (code) => resolve({ code, output }))
  })
  const summary = /# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/.exec(output)
  const wsPass = summary ? Number(summary[2]) : 0
  const wsFail = summary ? Number(summary[3] ?? 0) : 0
  passed += wsPass
  failed += wsFail
  if (code !== 0) {
    failedSuites.push(ws)
    if (wsFail === 0) failed += 1
  }
  console.log(`=== ${ws}: ${wsPass} passed, ${wsFail} failed, exit ${code} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}
if (failedSuites.length > 0) console.log(`failing suites: ${failedSuites.join(', ')}`)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(failedSuites.length > 0 ? 1 : 0)
