import t from 'tap'
import { createCookieJar } from '../src/cookie-jar.js'

t.test('keeps name=value pairs and drops expired cookies', async (t) => {
  const jar = createCookieJar()
  t.equal(jar.header(), undefined)
  jar.store(['sid=a=b; Path=/; HttpOnly', 'theme=light', 'junk', '=nameless'])
  t.equal(jar.header(), 'sid=a=b; theme=light')
  jar.store(['theme=; Max-Age=0'])
  t.equal(jar.header(), 'sid=a=b')
  jar.store(['sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'])
  t.equal(jar.header(), undefined)
  jar.store(['sid=y'])
  jar.clear()
  t.equal(jar.header(), undefined)
})
