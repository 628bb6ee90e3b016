import closeWithGrace from 'close-with-grace'
import { buildStandalone } from './app.js'
import { loadConfig } from './config.js'

// `npm start`: the only file that reads the environment, listens and handles signals.
const config = loadConfig()
const { fastify } = await buildStandalone(config)

closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
  if (err !== undefined) fastify.log.error({ err }, 'closing after an error')
  else fastify.log.info({ signal }, 'closing')
  await fastify.close()
})

await fastify.listen({ host: config.host, port: config.port })
process.stdout.write(`\nwebchat is running: http://localhost:${config.port}\nLogin codes are printed here (MAIL_TRANSPORT=console).\n\n`)
