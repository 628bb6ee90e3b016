/** Runs `count` tasks with at most `inFlight` at a time; results in task order. */
export async function pool<T> (count: number, inFlight: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }))
  return results
}
