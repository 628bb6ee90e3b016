import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startAuth } from './lib/auth.js'
import { stopAll } from './lib/children.js'
import { rssBytes } from './lib/proc.js'
import { startRedis } from './lib/redis.js'
import { startServers } from './servers/launch.js'

// `npm run rest-memory -w bench [runs]`: the RSS of fresh chat instances with no connections,
// started exactly as the bench starts them (env, node flags): right after they listen, after a full
// garbage collection 2 s later, and after another one 15 s later (by then V8 hands back the young
// generation that startup grew, at the first collection 5 s or more after the last). Each run
// starts two new instances on an empty Redis.

const MiB = 2 ** 20
const runs = Number(process.argv[2] ?? 3)
const logDir = mkdtempSync(join(tmpdir(), 'rest-memory-'))
const auth = await startAuth('ES256')
const redis = await startRedis(logDir)
const mib = (pids: number[]): string => pids.map((pid) => (rssBytes(pid) / MiB).toFixed(1)).join(' + ')
try {
  for (let run = 1; run <= runs; run++) {
    await redis.flush()
    const servers = await startServers('webchat', { redisUrl: redis.url, jwksUrl: auth.jwksUrl, logDir })
    try {
      const listening = mib(servers.pids)
      await sleep(2000)
      await servers.collectGarbage()
      const collected = mib(servers.pids)
      await sleep(15_000)
      await servers.collectGarbage()
      console.log(`run ${run}: listening ${listening} MiB, after GC ${collected} MiB, 15 s later ${mib(servers.pids)} MiB`)
    } finally {
      await servers.stop()
    }
  }
} finally {
  await redis.close()
  await auth.close()
  await stopAll()
}
