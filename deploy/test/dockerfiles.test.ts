import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import t from 'tap'
import { freePort } from '@webchat/testkit'
import { lineage, parseCopy, parseDockerfile, parseEnv, type Stage } from './helpers/dockerfile.js'
import { spawnProc, waitForHttp } from './helpers/processes.js'
import { repoPath } from './helpers/repo.js'

/**
 * The images without a Docker engine: the Dockerfiles read as build plans, then their `deps` and
 * runtime stages carried out in a scratch folder (the same COPYs, the same `npm ci --omit=dev`),
 * and the service started from there as the image's CMD and probed with its HEALTHCHECK.
 * The build stage's compilation is the repository's own `npm run build`.
 */

const root = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { workspaces: string[] }
const workspaceOf = new Map<string, string>(root.workspaces.map((ws) => [
  (JSON.parse(readFileSync(repoPath(ws, 'package.json'), 'utf8')) as { name: string }).name, ws
]))

/** The workspaces a service needs at run time: its production @webchat/* dependencies, transitively. */
function runtimeWorkspaces (ws: string, seen = new Set<string>()): Set<string> {
  const pkg = JSON.parse(readFileSync(repoPath(ws, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const dep = workspaceOf.get(name)
    if (dep !== undefined && !seen.has(dep)) {
      seen.add(dep)
      runtimeWorkspaces(dep, seen)
    }
  }
  return seen
}

const npmCi = (stage: Stage): string | undefined => stage.instructions.find((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))?.args
const jsonArgs = (args: string): string[] => JSON.parse(args) as string[]

/** Carries out a COPY into `into` (the image's /app), from `from` (a folder standing for the source). */
function copy (args: string, from: string, into: string, stripApp: boolean): void {
  const { sources, dest } = parseCopy(args)
  for (const source of sources) {
    const src = join(from, stripApp ? source.replace(/^\/app\/?/, '') : source)
    if (!existsSync(src)) throw new Error(`COPY ${args}: ${src} does not exist (run \`npm run build\` first?)`)
    const target = dest.endsWith('/') || sources.length > 1 ? join(into, dest, basename(src)) : join(into, dest)
    mkdirSync(statSync(src).isDirectory() ? target : dirname(target), { recursive: true })
    cpSync(src, target, { recursive: true, verbatimSymlinks: true })
  }
}

for (const svc of ['auth', 'chat'] as const) {
  const path = repoPath('services', svc, 'Dockerfile')
  const stages = parseDockerfile(path)
  const final = stages[stages.length - 1]!
  const deps = stages.find((s) => /--omit=dev/.test(npmCi(s) ?? ''))

  t.test(`${svc} Dockerfile: multi-stage, production dependencies only, non-root, health-checked`, async (t) => {
    t.ok(stages.length >= 3, 'build, deps and runtime stages')
    t.ok(deps !== undefined, 'a stage installs production dependencies only')
    t.match(npmCi(deps!), new RegExp(`npm ci --omit=dev .*-w services/${svc}\\b`), 'of this workspace only')
    t.notOk(stages.some((s) => s.name === final.from), 'the runtime stage starts from a clean base image')
    const ops = final.instructions
    t.equal(ops.filter((i) => i.op === 'USER').at(-1)?.args, 'node', 'runs as the unprivileged node user')
    t.match(ops.find((i) => i.op === 'HEALTHCHECK')?.args, /\/healthz/, 'HEALTHCHECK on /healthz')
    t.same(jsonArgs(ops.find((i) => i.op === 'CMD')!.args), ['node', `services/${svc}/dist/${svc === 'chat' ? 'server.bundle.js' : 'server.js'}`], 'starts node directly')
    for (const run of ops.filter((i) => i.op === 'RUN')) t.notMatch(run.args, /\b(npm|npx|yarn|pnpm|tsc|apt-get|apk)\b/, `installs nothing at run time: ${run.args}`)
    const copies = ops.filter((i) => i.op === 'COPY').map((i) => parseCopy(i.args))
    t.ok(copies.some((c) => c.from === deps!.name && c.sources.includes('/app/node_modules')), 'node_modules comes from the production-only stage')
    for (const ws of runtimeWorkspaces(`services/${svc}`)) {
      t.ok(copies.some((c) => c.sources.includes(`/app/${ws}/dist`)), `the compiled ${ws} is in the image`)
      t.ok(copies.some((c) => c.sources.includes(`/app/${ws}/package.json`)), `with its package.json`)
    }
    const manifests = lineage(stages, deps!).flatMap((s) => s.instructions).filter((i) => i.op === 'COPY').flatMap((i) => parseCopy(i.args).sources)
    for (const file of ['package.json', 'package-lock.json', ...root.workspaces.map((ws) => `${ws}/package.json`)]) {
      t.ok(manifests.includes(file), `npm ci sees ${file}`)
    }
  })

  t.test(`${svc} image layout, without Docker: npm ci --omit=dev, the runtime COPYs, CMD and HEALTHCHECK`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `webchat-image-${svc}-`))
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
    const depsDir = join(dir, 'deps')
    const app = join(dir, 'app')
    mkdirSync(depsDir)
    mkdirSync(app)

    for (const stage of lineage(stages, deps!)) {
      for (const { op, args } of stage.instructions) {
        if (op === 'COPY') copy(args, repoPath(), depsDir, false)
        if (op === 'RUN') {
          const command = args.replace(/--mount=\S+\s+/g, '').split(/\s+/)
          t.equal(command[0], 'npm', `the deps stage runs npm only: ${args}`)
          const started = Date.now()
          const result = spawnSync('npm', [...command.slice(1), '--prefer-offline'], { cwd: depsDir, encoding: 'utf8', timeout: 90_000 })
          t.equal(result.status, 0, `${command.join(' ')} (${Date.now() - started} ms)`, { stderr: result.stderr.slice(-2000) })
        }
      }
    }
    t.ok(existsSync(join(depsDir, 'node_modules', '@webchat', svc)), 'the workspace is linked in node_modules')
    t.notOk(existsSync(join(depsDir, 'node_modules', 'typescript')), 'no development dependency (typescript) installed')
    t.notOk(existsSync(join(depsDir, 'node_modules', 'tap')), 'no development dependency (tap) installed')

    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
    for (const { op, args } of final.instructions) {
      if (op === 'COPY') {
        const { from } = parseCopy(args)
        copy(args, from === deps!.name ? depsDir : repoPath(), app, true)
      }
      if (op === 'ENV') Object.assign(env, parseEnv(args))
    }
    const port = await freePort()
    Object.assign(env, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'data') })
    const [command, ...args] = jsonArgs(final.instructions.find((i) => i.op === 'CMD')!.args)
    const proc = spawnProc(svc, command === 'node' ? process.execPath : command!, args, { env, cwd: app })
    t.teardown(async () => { await proc.stop(5000) })
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, { proc, timeoutMs: 20_000 })

    const healthcheck = final.instructions.find((i) => i.op === 'HEALTHCHECK')!.args.replace(/^.*?\bCMD\s+/, '')
    const [probe, ...probeArgs] = jsonArgs(healthcheck)
    const probed = spawnSync(probe === 'node' ? process.execPath : probe!, probeArgs, { env, cwd: app, timeout: 10_000 })
    t.equal(probed.status, 0, 'the HEALTHCHECK command passes')
    if (svc === 'auth') {
      const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } })
      t.match(page.headers.get('content-type'), /text\/html/, 'the image serves the web app')
      await page.arrayBuffer()
    }
    t.same(await proc.stop(10_000), { code: 0, signal: null }, 'SIGTERM: a clean exit')
    t.notOk(/"level":(50|60)/.test(proc.output()), 'no error logged', { output: proc.output() })
  })
}

t.test('.dockerignore keeps dependencies, builds, secrets and history out of the build context', async (t) => {
  const lines = readFileSync(repoPath('.dockerignore'), 'utf8').split('\n').map((l) => l.trim())
  for (const entry of ['**/node_modules', '**/dist', '.env', '.git']) t.ok(lines.includes(entry), entry)
})
