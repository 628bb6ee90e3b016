import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loopbackNginxConf, nginxArgs, readTemplate, renderTemplate, type TemplateValues } from '../../src/nginx-config.js'
import { spawnProc, type Proc } from './processes.js'
import { requireTool } from './tools.js'

export interface Nginx {
  proc: Proc
  dir: string
  /** The last lines of nginx's error log. */
  errorLog (lines?: number): string
  /** The access log (nginx's standard output, as in the image). */
  accessLog (): string
  stop (): Promise<void>
}

/**
 * Debian's nginx in the foreground, unprivileged, from a temp folder, serving the one template
 * rendered with `values`. `stop()` ends it (its PID only) and removes the folder.
 */
export function startNginx (values: TemplateValues): Nginx {
  const bin = requireTool('nginx')
  const dir = mkdtempSync(join(tmpdir(), 'webchat-nginx-'))
  // Started as root, nginx runs its workers as nobody: they must reach the temp folders.
  chmodSync(dir, 0o755)
  const serverConf = join(dir, 'webchat.conf')
  writeFileSync(serverConf, renderTemplate(readTemplate(), values))
  writeFileSync(join(dir, 'nginx.conf'), loopbackNginxConf(dir, serverConf))
  // The template logs to /dev/stdout, which must be a file or a pipe: Node's are sockets.
  const stdout = openSync(join(dir, 'stdout.log'), 'a')
  const proc = spawnProc('nginx', bin, nginxArgs(dir), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdout })
  const read = (name: string): string => existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : ''
  return {
    proc,
    dir,
    errorLog: (lines = 80) => read('error.log').split('\n').slice(-lines).join('\n'),
    accessLog: () => read('stdout.log'),
    async stop () {
      await proc.stop(5000)
      closeSync(stdout)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
