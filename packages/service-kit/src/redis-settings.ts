import Type from 'typebox'
import { parseClusterNodes } from '@webchat/engine'
import { ConfigError } from './settings.js'

/** The REDIS_CLUSTER_NODES setting, the same in every service's config schema. */
export const redisClusterNodesSetting = () => Type.Array(Type.String({ minLength: 1 }), {
  env: 'REDIS_CLUSTER_NODES',
  default: [],
  description: 'seed nodes of a Redis Cluster for ENGINE=redis, instead of REDIS_URL (comma-separated `host:port` or `redis://[user:password@]host:port`, `rediss://` for TLS; the first URL\'s user and password apply to every node); the other nodes are found from these'
})

/** What REDIS_URL and REDIS_CLUSTER_NODES hold once loaded (a service keeps an unset URL as '' or undefined). */
export interface RedisSettings {
  redisUrl?: string | undefined
  redisClusterNodes: string[]
}

const given = ({ redisUrl, redisClusterNodes }: RedisSettings): { url: boolean, cluster: boolean } =>
  ({ url: redisUrl !== undefined && redisUrl !== '', cluster: redisClusterNodes.length > 0 })

/** ENGINE's default: `redis` when either a Redis URL or cluster nodes are given. */
export function engineDefault (values: Record<string, unknown>): 'memory' | 'redis' {
  const nodes = values.redisClusterNodes
  const { url, cluster } = given({ redisUrl: values.redisUrl as string | undefined, redisClusterNodes: Array.isArray(nodes) ? nodes : [] })
  return url || cluster ? 'redis' : 'memory'
}

const NEEDS_REDIS = 'invalid configuration: ENGINE=redis needs REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster)'

/**
 * A node entry as it may be shown in an error: the user and password replaced. An entry that is
 * not `host:port` (digits) after its scheme may be a piece of a password cut at a comma: hidden whole.
 */
const shown = (entry: string): string => {
  const hidden = entry.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@')
  return JSON.stringify(/^([a-z][a-z0-9+.-]*:\/\/)?(\*\*\*@)?[^:@/]*(:\d*)?(\/[^:@]*)?$/i.test(hidden) ? hidden : '***')
}

/** An entry the engine takes as a seed node (it parses them again when it connects). */
function isNode (entry: string): boolean {
  try {
    parseClusterNodes([entry])
    return true
  } catch {
    return false
  }
}

/** The user and password of a (valid) entry, as one string to compare; null when it has none. */
function credentialsOf (entry: string): string | null {
  const { username, password } = new URL(/^rediss?:\/\//.test(entry) ? entry : `redis://${entry}`)
  return username === '' && password === '' ? null : `${username}:${password}`
}

/**
 * Refuses Redis settings that cannot work, naming the variables: both a URL and cluster nodes,
 * ENGINE=redis with neither, a node entry the engine would not take (not `host:port` or a
 * `redis://` or `rediss://` URL without a path), or entries with different credentials (only the
 * first would be used). Entries are quoted with their user and password hidden, since start-up
 * errors end up in logs.
 */
export function checkRedisSettings (engine: string, settings: RedisSettings): void {
  const { url, cluster } = given(settings)
  if (url && cluster) throw new ConfigError('invalid configuration: give REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both')
  if (engine === 'redis' && !url && !cluster) throw new ConfigError(NEEDS_REDIS)
  const bad = settings.redisClusterNodes.filter((entry) => !isNode(entry))
  if (bad.length > 0) {
    throw new ConfigError(`invalid configuration: REDIS_CLUSTER_NODES entries must be host:port or redis[s]://[user:password@]host:port; not ${bad.map(shown).join(', ')}`)
  }
  const credentials = new Set(settings.redisClusterNodes.map(credentialsOf).filter((c) => c !== null))
  if (credentials.size > 1) throw new ConfigError('invalid configuration: REDIS_CLUSTER_NODES entries carry different users or passwords; the first applies to every node, so give it once')
}

/** What `connectRedisEngine` is given for these settings: the one URL, or the cluster's seed nodes. */
export function redisTarget (settings: RedisSettings): { url: string } | { clusterNodes: string[] } {
  const { url, cluster } = given(settings)
  if (!url && !cluster) throw new ConfigError(NEEDS_REDIS)
  return url ? { url: settings.redisUrl! } : { clusterNodes: settings.redisClusterNodes }
}
