export { pool } from './pool.js'
export { freePort, waitForPort } from './ports.js'
export { startRedis, REDIS_MISSING, type TestRedis } from './redis-server.js'
export { bodyOf, startSmtpSink, type SmtpSink, type CapturedMail } from './smtp-sink.js'
