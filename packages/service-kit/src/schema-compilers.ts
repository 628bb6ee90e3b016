import { createRequire } from 'node:module'
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify'
import type { SerializerCompiler, SerializerFactory } from '@fastify/fast-json-stringify-compiler'
import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'
import Value from 'typebox/value'

// Route validators and response serializers are built on the first request (or reply) that needs
// them, once per schema object. Built up front, every route's validators and a serializer per
// route and status (ten statuses of the same error body on some routes) stayed in memory whether
// or not they were ever used: megabytes of heap in a fresh chat instance, and the module trees of
// Fastify's Ajv compiler and of fast-json-stringify with its Ajv loaded for nothing. The price is
// paid once: a few ms for a route's first request, tens of ms for loading the serializer compiler
// at the first reply with a response schema. A schema that cannot be built fails its requests
// there (500, the same error each time, not built again), so `compileAll` is there for a test to
// build every route's schemas up front.
//
// Fit for services whose schema routes all use TypeBox schemas without shared `$ref`s (as chat's
// do): Fastify's Ajv coercion, defaults and removal of extra fields do not apply to any route.

const require = createRequire(import.meta.url)

/** The built thing, or the error building it gave. */
type Built<V> = { ok: true, value: V } | { ok: false, error: unknown }

/**
 * Things built per schema: one per schema object (held weakly), or per value for a boolean schema
 * (Fastify accepts `true`). A build that throws is remembered: its error is thrown again at each
 * use, and the schema is never built again.
 */
function schemaCache<V> (): (schema: unknown, build: () => V) => V {
  const objects = new WeakMap<object, Built<V>>()
  const others = new Map<unknown, Built<V>>()
  return (schema, build) => {
    const isObject = typeof schema === 'object' && schema !== null
    let built = isObject ? objects.get(schema) : others.get(schema)
    if (built === undefined) {
      try {
        built = { ok: true, value: build() }
      } catch (error) {
        built = { ok: false, error }
      }
      if (isObject) objects.set(schema, built)
      else others.set(schema, built)
    }
    if (!built.ok) throw built.error
    return built.value
  }
}

const validators = schemaCache<Validator>()

/**
 * Strict TypeBox validation (extra fields are errors, not dropped), as
 * @fastify/type-provider-typebox's compiler: params, query and headers converted to the schema's
 * types first, the body as sent.
 */
export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  let validator: Validator | undefined
  return (value) => {
    validator ??= validators(schema, () => Compile(schema))
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value)
    if (validator.Check(converted)) return { value: converted }
    return { error: validator.Errors(converted) as unknown as Error }
  }
}

type Serialize = (data: unknown) => string
type Controller = NonNullable<FastifyServerOptions['schemaController']>

const fastJsonStringify = (): SerializerFactory => (require('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)()

/**
 * Fastify's own response serializers (fast-json-stringify, with the server's options and shared
 * schemas), built when a route first replies with that status, and one for each schema object.
 */
const lazySerializers: SerializerFactory = (externalSchemas, options) => {
  let compile: SerializerCompiler | undefined
  // One per schema object, built for the first route that replies with it (its url and method
  // name the build's errors).
  const serializers = schemaCache<Serialize>()
  return (route) => {
    let serialize: Serialize | undefined
    return (data) => {
      if (serialize === undefined) {
        const compiler = compile ??= fastJsonStringify()(externalSchemas, options)
        serialize = serializers(route.schema, () => compiler(route))
      }
      return serialize(data)
    }
  }
}

/** The `schemaController` server option: TypeBox validators and fast-json-stringify serializers, built on first use. */
export const schemaController: Controller = {
  compilersFactory: {
    // Fastify calls a validator compiler with the route's schema as its own compilers get it; the
    // factory's declared type is Ajv's.
    buildValidator: (() => typeBoxValidatorCompiler) as unknown as NonNullable<Controller['compilersFactory']>['buildValidator'],
    buildSerializer: lazySerializers
  }
}

interface RouteSchemas {
  url: string
  method: string | string[]
  schema?: { body?: unknown, querystring?: unknown, params?: unknown, headers?: unknown, response?: Record<string, unknown> }
}

/**
 * Builds every schema of `routes` as the lazy compilers would on first use (TypeBox validators,
 * fast-json-stringify serializers): throws the first that cannot be built. For a test over all
 * of a service's routes (collected with an `onRoute` hook), so that a broken schema of a rarely
 * used status fails CI rather than its first request.
 */
export function compileAll (routes: Iterable<RouteSchemas>): number {
  const serializer = fastJsonStringify()({}, {})
  let count = 0
  for (const route of routes) {
    const { body, querystring, params, headers, response } = route.schema ?? {}
    for (const schema of [body, querystring, params, headers]) {
      if (schema === undefined) continue
      // Some faults (a `$ref` to nowhere) show only when a value is checked: one is.
      Compile(schema as TSchema).Check(null)
      count++
    }
    for (const [status, schema] of Object.entries(response ?? {})) {
      const method = Array.isArray(route.method) ? route.method[0] ?? 'GET' : route.method
      // A status may map content types to schemas (`{ content: { 'application/json': { schema } } }`).
      const content = (schema as { content?: Record<string, { schema: unknown }> }).content
      const schemas = content === undefined ? [schema] : Object.values(content).map((c) => c.schema)
      for (const one of schemas) {
        serializer({ schema: one as object, method, url: route.url, httpStatus: status } as Parameters<SerializerCompiler>[0])
        count++
      }
    }
  }
  return count
}
