// Loaded into every server under test (node --expose-gc --import): SIGWINCH (ignored by default,
// and not one close-with-grace takes for a shutdown) runs a full garbage
// collection, so that idle memory is measured on live objects only, the same way for each system.
process.on('SIGWINCH', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) { gc(); gc() }
})

// Diagnostics (BENCH_STALLS=1): collections and event-loop stalls longer than a few ms, on stderr
// (the process's log), each with when it began in µs of the host's monotonic clock: the clock the
// bench logs step windows and timelines in, the same in every process.
if (process.env.BENCH_STALLS === '1') {
  const { PerformanceObserver } = await import('node:perf_hooks')
  const { monotonicUs } = await import('./generator/marks.js')
  // performance.now() runs on the same clock from this process's own origin.
  const originUs = monotonicUs() - performance.now() * 1000
  const at = (ms: number): number => Math.round(originUs + ms * 1000)
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= 2) process.stderr.write(`gc at ${at(entry.startTime)} ${entry.duration.toFixed(1)} ms kind ${(entry as { detail?: { kind?: number } }).detail?.kind ?? '?'}\n`)
    }
  }).observe({ entryTypes: ['gc'] })
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - last > 15) process.stderr.write(`stall at ${at(last)} ${(now - last).toFixed(1)} ms\n`)
    last = now
  }, 5).unref()
}
