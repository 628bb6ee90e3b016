import { execFile } from 'node:child_process'

/** One line of `CLUSTER NODES`, reduced to what the harness needs. */
export interface ClusterNodeLine {
  id: string
  port: number
  primary: boolean
  failed: boolean
  /** Inclusive slot ranges this node serves (primaries only). */
  slots: Array<[number, number]>
}

/** Runs `redis-cli` against 127.0.0.1:`port`; rejects with redis-cli's output on failure or after `timeoutMs`. */
export async function redisCli (port: number, args: string[], timeoutMs = 3000): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`redis-cli -p ${port} ${args.join(' ')} failed: ${error.message} ${stderr}`.trim()))
      else resolve(stdout)
    })
  })
}

/** The `key:value` fields of `CLUSTER INFO`. */
export function parseClusterInfo (text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':')
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).trim()
  }
  return fields
}

/**
 * Parses `CLUSTER NODES`: `<id> <ip:port@bus> <flags> <primary-id> <ping> <pong> <epoch> <link> <slot>...`.
 * Slot entries in migration (`[...]`) are skipped: the harness never migrates.
 */
export function parseClusterNodes (text: string): ClusterNodeLine[] {
  const nodes: ClusterNodeLine[] = []
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(' ')
    if (parts.length < 8) continue
    const [id, address, flags] = parts as [string, string, string]
    const port = Number(address.split('@')[0]?.split(':').pop())
    const flagList = flags.split(',')
    const slots: Array<[number, number]> = []
    for (const entry of parts.slice(8)) {
      if (entry.startsWith('[')) continue
      const [from, to] = entry.split('-')
      slots.push([Number(from), Number(to ?? from)])
    }
    nodes.push({
      id, port, slots,
      primary: flagList.includes('master'),
      failed: flagList.includes('fail') || flagList.includes('fail?')
    })
  }
  return nodes
}
