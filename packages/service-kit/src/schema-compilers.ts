import { createRequire } from 'node:module'
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify'
import type { SerializerCompiler, SerializerFactory } from '@fastify/fast-json-stringify-compiler'
import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'
import Value from 'typebox/value'

// Route schemas are compiled on the first request (or reply) that needs them, once per schema
// object. Compiled up front, every route's validators and a serializer per route and status (ten
// statuses of the same error body on some routes) stayed in memory whether or not they were ever
// used: about 3 MiB of heap in a fresh chat instance, and three modules trees (Fastify's Ajv
// compiler, fast-json-stringify with its Ajv) loaded for nothing.

const require = createRequire(import.meta.url)
const validators = new WeakMap<TSchema, Validator>()

function validatorOf (schema: TSchema): Validator {
  let validator = validators.get(schema)
  if (validator === undefined) {
    validator = Compile(schema)
    validators.set(schema, validator)
  }
  return validator
}

/**
 * Strict TypeBox validation (extra fields are errors, not dropped), as
 * @fastify/type-provider-typebox's compiler: params, query and headers converted to the schema's
 * types first, the body as sent.
 */
export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => (value) => {
  const validator = validatorOf(schema)
  const converted = httpPart === 'body' ? value : Value.Convert(schema, value)
  if (validator.Check(converted)) return { value: converted }
  return { error: validator.Errors(converted) as unknown as Error }
}

type Serialize = (data: unknown) => string
type Controller = NonNullable<FastifyServerOptions['schemaController']>

/**
 * Fastify's own response serializers (fast-json-stringify, with the server's options and shared
 * schemas), built when a route first replies with that status, and one for each schema object.
 */
const lazySerializers: SerializerFactory = (externalSchemas, options) => {
  const built = new WeakMap<object, Serialize>()
  let compile: SerializerCompiler | undefined
  return (route) => {
    let serialize: Serialize | undefined
    return (data) => {
      if (serialize === undefined) {
        serialize = built.get(route.schema as object)
        if (serialize === undefined) {
          compile ??= (require('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)()(externalSchemas, options)
          serialize = compile(route)
          built.set(route.schema as object, serialize)
        }
      }
      return serialize(data)
    }
  }
}

/** The `schemaController` server option: TypeBox validators and lazily built serializers. */
export const schemaController: Controller = {
  compilersFactory: {
    // Fastify calls a validator compiler with the route's schema as its own compilers get it; the
    // factory's declared type is Ajv's.
    buildValidator: (() => typeBoxValidatorCompiler) as unknown as NonNullable<Controller['compilersFactory']>['buildValidator'],
    buildSerializer: lazySerializers
  }
}
