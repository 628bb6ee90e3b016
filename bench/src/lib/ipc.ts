import type { ChildProcess } from 'node:child_process'

/** A request to a generator and its answer, matched by id. */
export interface Request { id: number, command: string, args: unknown }
export interface Reply { id: number, ok: boolean, result?: unknown, error?: string }

export interface Channel {
  call<T> (command: string, args?: unknown, timeoutMs?: number): Promise<T>
}

/** Request/response over a child's IPC channel, each call bounded in time. */
export function channel (child: ChildProcess, name: string): Channel {
  let next = 1
  const waiting = new Map<number, { resolve: (value: unknown) => void, reject: (err: Error) => void, timer: NodeJS.Timeout }>()
  child.on('message', (message: Reply) => {
    const waiter = waiting.get(message.id)
    if (waiter === undefined) return
    waiting.delete(message.id)
    clearTimeout(waiter.timer)
    if (message.ok) waiter.resolve(message.result)
    else waiter.reject(new Error(`${name}: ${message.error ?? 'failed'}`))
  })
  child.once('exit', (code) => {
    for (const [id, waiter] of waiting) {
      waiting.delete(id)
      clearTimeout(waiter.timer)
      waiter.reject(new Error(`${name} exited (${code ?? 'signal'})`))
    }
  })
  return {
    async call<T> (command: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
      const id = next++
      return await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id)
          reject(new Error(`${name}: ${command} took longer than ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, timer })
        child.send({ id, command, args } satisfies Request)
      })
    }
  }
}
