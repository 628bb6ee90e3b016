import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The one nginx template, rendered by the nginx image in compose and by `loopbackConfig` here. */
export const TEMPLATE_PATH = fileURLToPath(new URL('../nginx/webchat.conf.template', import.meta.url))

export const PLACEHOLDERS = ['LISTEN', 'SERVER_EXTRA', 'RESOLVER', 'AUTH_SERVERS', 'CHAT_SERVERS'] as const
export type TemplateValues = Record<typeof PLACEHOLDERS[number], string>

export function readTemplate (): string {
  return readFileSync(TEMPLATE_PATH, 'utf8')
}

/**
 * Substitutes `${NAME}` as the nginx image's envsubst does for the names it is given, and refuses
 * a template that uses any other `${NAME}` (the image would leave it in place and nginx would fail).
 */
export function renderTemplate (template: string, values: TemplateValues): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const value = (values as Record<string, string | undefined>)[name]
    if (value === undefined) throw new Error(`the nginx template uses \${${name}}, which has no value`)
    return value
  })
}

export interface LoopbackPorts {
  /** Where nginx listens on 127.0.0.1. */
  listen: number
  auth: number[]
  chat: number[]
}

const servers = (ports: number[]): string => ports.map((port) => `server 127.0.0.1:${port};`).join('\n  ')

/** The template's values for a topology on 127.0.0.1: static upstream servers, no resolver. */
export function loopbackValues (ports: LoopbackPorts): TemplateValues {
  if (ports.auth.length === 0 || ports.chat.length === 0) throw new Error('loopback topology needs at least one auth and one chat port')
  return {
    LISTEN: `127.0.0.1:${ports.listen}`,
    SERVER_EXTRA: '',
    RESOLVER: '',
    AUTH_SERVERS: servers(ports.auth),
    CHAT_SERVERS: servers(ports.chat)
  }
}

/**
 * A whole nginx.conf that runs unprivileged from `dir` (temp paths, the error log and the pid file
 * there) and includes the rendered server block `serverConf`, whose access log goes to /dev/stdout
 * as in the image (make standard output a file or a pipe: nginx cannot open a socket there). Run it
 * with `nginx -p dir -e dir/error.log -c dir/nginx.conf -g 'daemon off; pid dir/nginx.pid;'`.
 */
export function loopbackNginxConf (dir: string, serverConf: string): string {
  return `worker_processes 1;
error_log ${join(dir, 'error.log')} info;
events { worker_connections 512; }
http {
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${serverConf};
}
`
}

/** The arguments that start nginx in the foreground from `dir` with `loopbackNginxConf`. */
export function nginxArgs (dir: string): string[] {
  return ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`]
}
