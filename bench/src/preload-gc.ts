// Loaded into every server under test (node --expose-gc --import): SIGWINCH (ignored by default,
// and not one close-with-grace takes for a shutdown) runs a full garbage
// collection, so that idle memory is measured on live objects only, the same way for each system.
process.on('SIGWINCH', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) { gc(); gc() }
})
