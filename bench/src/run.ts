import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadConfig, runsIn, type ScenarioName, type SystemName } from './config.js'
import { ISSUER, startAuth } from './lib/auth.js'
import { killAll, stopAll } from './lib/children.js'
import { startGenerators, stopGenerators } from './lib/generators.js'
import { load1, machine } from './lib/proc.js'
import { startRedis } from './lib/redis.js'
import { writeReport } from './report/write.js'
import { ORIGIN, startServers } from './servers/launch.js'
import type { Context } from './scenarios/context.js'
import { fanout } from './scenarios/fanout.js'
import { idle } from './scenarios/idle.js'
import { cluster, type RedisTarget } from './scenarios/cluster.js'
import type { BenchRun, RunRecord, ScenarioResult } from './scenarios/results.js'
import { reconnect } from './scenarios/reconnect.js'
import { rooms } from './scenarios/rooms.js'
import { storm } from './scenarios/storm.js'
import { versions } from './versions.js'
import { monotonicUs } from './generator/marks.js'

// `npm run bench`: one Redis (and, for the cluster scenario, a local Redis Cluster), two instances of each system and the load generators, all separate
// processes on 127.0.0.1; the same scenarios against webchat and Socket.IO, interleaved, in passes.

const config = loadConfig()
const started = Date.now()
const deadline = started + config.timeLimitMs
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url))
const stamp = new Date(started).toISOString().replace(/[:.]/g, '-')
const logDir = `${resultsDir}logs-${stamp}`
mkdirSync(logDir, { recursive: true })

const log = (message: string): void => {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`)
}

// Every child dies with the run: on a signal, an error, or the time limit.
const hardStop = setTimeout(() => {
  log(`time limit of ${config.timeLimitMs / 1000} s reached: stopping every process`)
  killAll()
  process.exit(2)
}, config.timeLimitMs + 60_000)
hardStop.unref()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { killAll(); process.exit(130) })
}
process.once('exit', () => killAll())

if (config.systems.includes('webchat-base') && config.baseDir === undefined) throw new Error('webchat-base needs BENCH_BASE_DIR (see bench/snapshot.sh)')
if (load1() > 1.5) log(`note: load average is ${load1()} before starting; figures are only comparable within this run`)

log(`plan: ${config.scenarios.map((s) => `${s} on ${config.systems.filter((system) => runsIn(s, system)).join(', ') || 'nothing'}`).join('; ')}`)
const auth = await startAuth(config.tokenAlg)
const redis = await startRedis(logDir)
const records: RunRecord[] = []

/** Starts the two instances of `system` on `target` and the generators, runs `measure`, stops them all. */
async function onTarget<T> (system: SystemName, target: RedisTarget, measure: (ctx: Context) => Promise<T>, jwksUrl = auth.jwksUrl): Promise<T> {
  const profileDir = config.profile ? `${resultsDir}profiles-${stamp}` : undefined
  const servers = await startServers(system, {
    redisUrl: target.redisUrl,
    clusterNodes: target.clusterNodes,
    jwksUrl,
    logDir,
    baseDir: config.baseDir,
    env: config.chatEnv,
    profileDir
  })
  try {
    const generators = await startGenerators(config.generators, {
      system, epochUs: monotonicUs(), privateJwk: auth.privateJwk, kid: auth.kid, issuer: ISSUER, origin: ORIGIN
    }, logDir, config.generatorNice, profileDir)
    try {
      return await measure({ config, system, servers, generators, redisPids: target.redisPids, remainingMs: () => deadline - Date.now(), log })
    } finally {
      await stopGenerators(generators)
    }
  } finally {
    await servers.stop()
  }
}

async function runOne (pass: number, scenario: ScenarioName, system: SystemName): Promise<void> {
  const t0 = Date.now()
  const record: RunRecord = { pass, system, scenario, startedAt: new Date(t0).toISOString(), seconds: 0, load: machine().load }
  log(`pass ${pass}: ${scenario} on ${system} (load ${record.load})`)
  const single = { redisUrl: redis.url, redisPids: [redis.child.pid] }
  try {
    if (scenario === 'cluster') {
      record.result = await cluster({
        config, pass, log,
        single: { url: redis.url, pid: redis.child.pid, flush: async () => { await redis.flush() } },
        onTarget: async (target, measure) => await onTarget(system, target, measure)
      })
    } else if (scenario === 'reconnect') {
      record.result = await reconnect({
        config, pass, log, redisUrl: redis.url, logDir, flush: async () => { await redis.flush() },
        onTarget: async (jwksUrl, measure) => await onTarget(system, single, measure, jwksUrl)
      })
    } else {
      await redis.flush()
      record.result = await onTarget(system, single, async (ctx): Promise<ScenarioResult> => {
        if (scenario === 'fanout') return await fanout(ctx)
        if (scenario === 'rooms') return await rooms(ctx)
        if (scenario === 'idle') return await idle(ctx, redis.url)
        return await storm(ctx)
      })
    }
  } catch (err) {
    record.error = err instanceof Error ? err.message : String(err)
    log(`${scenario} on ${system} failed: ${record.error}`)
  } finally {
    record.seconds = (Date.now() - t0) / 1000
    records.push(record)
  }
}

try {
  for (let pass = 1; pass <= config.passes; pass++) {
    for (const scenario of config.scenarios) {
      // Interleaved: the order of systems alternates between passes. Only the systems planned for
      // the scenario (config.ts PLAN) run it.
      const planned = config.systems.filter((system) => runsIn(scenario, system))
      const order = pass % 2 === 1 ? planned : [...planned].reverse()
      for (const system of order) {
        if (Date.now() > deadline - 20_000) { log(`skipping ${scenario} on ${system}: out of time`); continue }
        await runOne(pass, scenario, system)
      }
    }
  }
} finally {
  await redis.close()
  await auth.close()
  await stopAll()
}

const run: BenchRun = {
  startedAt: new Date(started).toISOString(),
  seconds: (Date.now() - started) / 1000,
  quick: config.quick,
  command: process.env.npm_lifecycle_event === undefined ? 'node bench/dist/run.js' : 'npm run bench',
  environment: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_'))),
  machine: machine(),
  versions: { ...versions(), redis: redis.version },
  config,
  webchatEnv: config.chatEnv,
  records
}
const jsonPath = `${resultsDir}run-${stamp}.json`
writeFileSync(jsonPath, JSON.stringify(run, null, 2))
log(`results: ${jsonPath}`)
const written = writeReport(run, { docs: config.writeDocs, resultsDir, stamp })
for (const path of written) log(`wrote ${path}`)
clearTimeout(hardStop)
