import t from 'tap'
import { engineDeadline, EngineUnavailableError, withDeadline } from '../src/index.js'

const later = async <T>(ms: number, value: T): Promise<T> => await new Promise((resolve) => setTimeout(() => resolve(value), ms))

t.test('settles like the promise when it is in time', async (t) => {
  t.equal(await withDeadline(later(5, 'done'), 200), 'done')
  await t.rejects(withDeadline(Promise.reject(new Error('own failure')), 200), /own failure/)
})

t.test('rejects once the time is up: ETIMEDOUT, or the error asked for', async (t) => {
  const started = Date.now()
  await t.rejects(withDeadline(new Promise(() => {}), 50), { code: 'ETIMEDOUT', message: 'no answer within 50 ms' })
  t.ok(Date.now() - started < 1000, 'promptly')
  const gone = (): Error => Object.assign(new Error('gone'), { code: 'GONE' })
  await t.rejects(withDeadline(later(500, 'late'), 20, { expired: gone }), { code: 'GONE', message: 'gone' })
})

t.test('a late rejection is dropped, not reported as unhandled', async (t) => {
  const unhandled: unknown[] = []
  const listener = (reason: unknown): void => { unhandled.push(reason) }
  process.on('unhandledRejection', listener)
  t.teardown(() => { process.off('unhandledRejection', listener) })
  const late = new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 30))
  await t.rejects(withDeadline(late, 10), { code: 'ETIMEDOUT' })
  await later(60, null)
  t.same(unhandled, [])
})

t.test('unref: the deadline alone does not keep the process alive', async (t) => {
  const { execFile } = await import('node:child_process')
  const script = `import('${new URL('../dist/deadline.js', import.meta.url).href}').then(({ withDeadline }) => {
    withDeadline(new Promise(() => {}), 60_000, { unref: true }).catch(() => {})
  })`
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 }, (err) => { if (err === null) resolve(); else reject(err) })
  })
  t.ok(Date.now() - started < 15_000, 'the process ended long before the deadline')
})

t.test('engineDeadline: past the time, EngineUnavailableError (answered as unavailable)', async (t) => {
  t.equal(await engineDeadline(later(5, 'done'), 200), 'done')
  const err = await engineDeadline(new Promise(() => {}), 20).catch((e: unknown) => e)
  t.ok(err instanceof EngineUnavailableError)
  t.equal((err as Error).message, 'the engine did not answer within 20 ms')
})
