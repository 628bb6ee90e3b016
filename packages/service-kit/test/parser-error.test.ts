import t from 'tap'
import { validate } from '@webchat/shared'
import { answerParserError, parserErrorResponse } from '../src/index.js'

const parse = (response: string): { status: number, headers: string, body: unknown } => {
  const split = response.indexOf('\r\n\r\n')
  return { status: Number(response.slice(9, 12)), headers: response.slice(0, split), body: JSON.parse(response.slice(split + 4)) }
}
const err = (code?: string): Error & { code?: string } => Object.assign(new Error('parse error'), code === undefined ? {} : { code })

t.test('parser errors answer with a status and the {error, message} body', async (t) => {
  for (const [code, status] of [['HPE_INVALID_METHOD', 400], [undefined, 400], ['HPE_HEADER_OVERFLOW', 431], ['ERR_HTTP_REQUEST_TIMEOUT', 408]] as const) {
    const response = parserErrorResponse(err(code))!
    const { status: got, headers, body } = parse(response)
    t.equal(got, status, `${code ?? 'no code'}: ${status}`)
    t.ok(validate.errorBody(body), 'a contract error body')
    t.match(headers, /\r\nContent-Type: application\/json; charset=utf-8\r\n/)
    t.match(headers, new RegExp(`\r\nContent-Length: ${response.length - headers.length - 4}\r\n`), 'its length')
    t.match(headers, /\r\nConnection: close$/)
  }
  t.equal(parserErrorResponse(err('ECONNRESET')), null, 'nobody to answer')
})

t.test('the handler writes the answer once and drops the socket', async (t) => {
  const socket = (writable: boolean, destroyed = false) => {
    const written: string[] = []
    let closed = 0
    return { written, closed: () => closed, writable, destroyed, write (data: string) { written.push(data) }, destroy () { closed++ } }
  }
  const open = socket(true)
  answerParserError(err('HPE_INVALID_METHOD'), open)
  t.equal(open.written.length, 1)
  t.equal(open.closed(), 1)
  const reset = socket(true)
  answerParserError(err('ECONNRESET'), reset)
  t.same([reset.written.length, reset.closed()], [0, 1], 'a reset socket is only dropped')
  const gone = socket(false, true)
  answerParserError(err('HPE_INVALID_METHOD'), gone)
  t.same([gone.written.length, gone.closed()], [0, 0], 'a destroyed socket is left alone')
})
