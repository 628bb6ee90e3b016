// Loaded into every server under test (node --expose-gc --import): SIGWINCH (ignored by default,
// and not one close-with-grace takes for a shutdown) runs a full garbage
// collection, so that idle memory is measured on live objects only, the same way for each system.
process.on('SIGWINCH', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) { gc(); gc() }
})

// Diagnostics (BENCH_STALLS=1): collections and event-loop stalls longer than a few ms, with
// when they began (ms of this process's performance clock), on stderr (the server's log).
if (process.env.BENCH_STALLS === '1') {
  const { PerformanceObserver } = await import('node:perf_hooks')
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= 2) process.stderr.write(`gc at ${Math.round(entry.startTime)} ${entry.duration.toFixed(1)} ms kind ${(entry as { detail?: { kind?: number } }).detail?.kind ?? '?'}\n`)
    }
  }).observe({ entryTypes: ['gc'] })
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - last > 15) process.stderr.write(`stall at ${Math.round(last)} ${(now - last).toFixed(1)} ms\n`)
    last = now
  }, 5).unref()
}
