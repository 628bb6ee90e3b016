import t from 'tap'
import { createEmitter } from '../src/emitter.js'

t.test('typed on/off/once; a throwing listener does not stop the others', async (t) => {
  const emitter = createEmitter<{ a: number, b: string }>()
  const got: number[] = []
  const off = emitter.on('a', (n) => got.push(n))
  const offBug = emitter.on('a', () => { throw new Error('listener bug') })
  emitter.on('a', (n) => got.push(n * 10))
  const next = emitter.once('b')
  const reports: Array<() => void> = []
  const real = globalThis.queueMicrotask
  globalThis.queueMicrotask = (fn) => { reports.push(fn) }
  try {
    emitter.emit('a', 1)
  } finally {
    globalThis.queueMicrotask = real
  }
  t.same(got, [1, 10])
  t.equal(reports.length, 1)
  t.throws(() => reports[0]!(), { message: 'listener bug' }, 'the error is rethrown later, not swallowed')
  off()
  offBug()
  emitter.emit('b', 'x')
  t.equal(await next, 'x')
  emitter.emit('a', 2)
  t.same(got, [1, 10, 20])
})
