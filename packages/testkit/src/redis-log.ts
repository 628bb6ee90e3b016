/** The asserts `checkRefusedRedisLog` makes (tap's `t` has them). */
export interface LogAsserts {
  match: (found: string, wanted: RegExp, message: string) => unknown
  notOk: (value: unknown, message: string) => unknown
}

const USER = 'intruder'
const PASSWORD = 'hunter2-redis'

/** The Redis at `url` (a throwaway one, which has no such user), with a user and password it refuses. */
export const withRefusedCredentials = (url: string): string => `redis://${USER}:${PASSWORD}@${new URL(url).host}`

/**
 * Waits (5 s at most) until a service connecting with `withRefusedCredentials` has logged the
 * refusal, then checks that it is logged with its reason and without the user or password, which
 * ioredis puts on the error as the failed command's arguments.
 */
export async function checkRefusedRedisLog (t: LogAsserts, lines: string[]): Promise<void> {
  const started = Date.now()
  while (!lines.some((line) => line.includes('WRONGPASS')) && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50))
  const all = lines.join('\n')
  t.match(all, /redis connection error.*WRONGPASS|WRONGPASS.*redis connection error/, 'the refusal is logged, with its reason')
  t.match(all, /"args":"\[redacted\]"/, 'the command\'s arguments are replaced')
  t.notOk(all.includes(PASSWORD), 'no password')
  t.notOk(all.includes(USER), 'no user name either')
}
