import { type Cluster, SERVICE_KEY } from './cluster.js'

export interface Answer { status: number, body: unknown }

/** One HTTP request to a backend route of instance `instance`, with the service key unless `key` is null. */
export async function api (cluster: Cluster, method: string, path: string, body?: unknown, { instance = 0, key = SERVICE_KEY as string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${cluster.httpUrl(instance)}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, body: text === '' ? null : JSON.parse(text) }
}
