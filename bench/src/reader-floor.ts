import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { freePort } from '@webchat/testkit'

// `npm run reader-floor -w bench`: what one read of one small WebSocket frame costs a reader on
// this machine, in Node (net's `onread` into a shared buffer, as the generators read) and in C
// (epoll and read(2), bench/native/reader-floor.c, when a C compiler is there). A writer process
// sends a 204-byte frame to each of SOCKETS sockets every 10 ms; each reader runs at nice 10 (as
// the generators do) and reports its own user and system CPU per read.

const SOCKETS = 500
const SECONDS = 7
const self = fileURLToPath(import.meta.url)
const source = fileURLToPath(new URL('../native/reader-floor.c', import.meta.url))
const binary = fileURLToPath(new URL('../results/reader-floor', import.meta.url))

interface PerRead { reads: number, userUs: number, systemUs: number }

const frame = (): Buffer => {
  const payload = Buffer.alloc(200, 0x61)
  payload.write('~B1:123456~', 50)
  return Buffer.concat([Buffer.from([0x81, 126, 0, payload.length]), payload])
}

function writer (sockets: number, port: number, ms: number): void {
  const open: Socket[] = []
  const bytes = frame()
  let writes = 0
  const server = createServer((socket) => { socket.setNoDelay(true); socket.on('error', () => {}); open.push(socket) })
  server.listen(port, '127.0.0.1', () => { process.send?.('listening') })
  setInterval(() => {
    if (open.length < sockets) return
    for (const socket of open) { socket.write(bytes); writes++ }
  }, 10)
  setTimeout(() => {
    const usage = process.resourceUsage()
    process.send?.({ reads: writes, userUs: usage.userCPUTime / writes, systemUs: usage.systemCPUTime / writes })
    process.exit(0)
  }, ms)
}

function nodeReader (sockets: number, port: number): void {
  const buffer = Buffer.allocUnsafe(256 * 1024)
  let reads = 0
  for (let i = 0; i < sockets; i++) {
    const socket = connect({ host: '127.0.0.1', port, onread: { buffer, callback: (n) => { if (buffer.indexOf(0x7e) < n) reads++; return true } } })
    socket.on('error', () => {})
  }
  let from = { usage: process.resourceUsage(), reads: 0 }
  setTimeout(() => { from = { usage: process.resourceUsage(), reads } }, 2000)
  setTimeout(() => {
    const usage = process.resourceUsage()
    const counted = reads - from.reads
    console.log(JSON.stringify({ reads: counted, userUs: (usage.userCPUTime - from.usage.userCPUTime) / counted, systemUs: (usage.systemCPUTime - from.usage.systemCPUTime) / counted }))
    process.exit(0)
  }, SECONDS * 1000)
}

/** Runs one reader against a fresh writer; both results. */
async function measure (reader: (port: number) => [string, string[]]): Promise<{ reader: PerRead, writer: PerRead }> {
  const port = await freePort()
  const writing = spawn(process.execPath, [self, 'writer', String(SOCKETS), String(port), String(SECONDS * 1000 + 2000)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const messages: unknown[] = []
  const listening = new Promise<void>((resolve) => { writing.on('message', (m) => { if (m === 'listening') resolve(); else messages.push(m) }) })
  const writerDone = new Promise<void>((resolve) => writing.once('exit', () => resolve()))
  await listening
  const [command, args] = reader(port)
  const output = execFileSync('nice', ['-n', '10', command, ...args], { encoding: 'utf8' })
  await writerDone
  return { reader: JSON.parse(output.trim()) as PerRead, writer: messages[0] as PerRead }
}

async function main (): Promise<void> {
  const readers: Array<[string, (port: number) => [string, string[]]]> = [['node (net onread)', (port) => [process.execPath, [self, 'reader', String(SOCKETS), String(port)]]]]
  try {
    mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true })
    execFileSync('cc', ['-O2', '-o', binary, source])
    readers.push(['C (epoll, read)', (port) => [binary, [String(SOCKETS), String(port), String(SECONDS)]]])
  } catch {
    console.log('no C compiler (cc): the Node reader only')
  }
  const f = (x: number): string => x.toFixed(2).padStart(6)
  console.log(`${SOCKETS} sockets, a ${frame().length}-byte frame on each every 10 ms, ${SECONDS - 2} s measured`)
  for (const [name, reader] of readers) {
    const { reader: r, writer: w } = await measure(reader)
    console.log(`${name.padEnd(18)} ${f(r.userUs)} user + ${f(r.systemUs)} system = ${f(r.userUs + r.systemUs)} µs a read (${r.reads} reads); the writer ${f(w.userUs + w.systemUs)} µs a write`)
  }
}

const [mode, sockets, port, ms] = process.argv.slice(2)
if (mode === 'writer') writer(Number(sockets), Number(port), Number(ms))
else if (mode === 'reader') nodeReader(Number(sockets), Number(port))
else await main()
