import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'

export interface Script {
  run: (client: Redis | Cluster, keys: string[], args: Array<string | number>) => Promise<unknown>
}

/** A Lua script sent by EVALSHA, and by EVAL once whenever Redis does not have it cached. */
export function defineScript (lua: string): Script {
  const sha = createHash('sha1').update(lua).digest('hex')
  return {
    async run (client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args)
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
        return await client.eval(lua, keys.length, ...keys, ...args)
      }
    }
  }
}
