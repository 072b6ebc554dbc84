/**
 * The OpenAPI 3.1 document of the API, built from the route table (./route-table.ts): bodies,
 * queries and parameters are the JSON Schemas of the zod schemas the routes parse with
 * (`z.toJSONSchema`, input side: a field with a default is optional), every error is the one
 * error shape, and security names the scheme and the roles.
 */
import { z } from 'zod'
import { ROUTES, errorsOf, type Auth, type ErrorStatus, type RouteSpec } from './route-table'

type Json = Record<string, unknown>
export type JsonSchema = Json & {
  properties?: Record<string, JsonSchema>
  required?: string[]
  allOf?: JsonSchema[]
}

export type Parameter = {
  name: string
  in: 'path' | 'query'
  required: boolean
  description?: string
  schema: JsonSchema
}

export type Operation = {
  operationId: string
  tags: string[]
  summary: string
  description?: string
  /** The route table's auth, for readers that want it whole (the /docs page). */
  'x-auth': Auth
  security: Json[]
  parameters: Parameter[]
  requestBody?: {
    required: true
    content: { 'application/json': { schema: JsonSchema; example?: unknown } }
  }
  responses: Record<string, { description: string; content?: Json } | { $ref: string }>
}

export type OpenApiDocument = {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string }
  servers: { url: string }[]
  tags: { name: RouteSpec['tag']; description: string }[]
  paths: Record<string, Partial<Record<RouteSpec['method'], Operation>>>
  components: Json
}

/** Each error status, with the name it has under components.responses and when it happens. */
export const ERRORS: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description: 'The query or body does not match its schema; details lists {path, message}',
  },
  401: { name: 'Unauthorized', description: 'No key, or a key that is unknown or revoked' },
  403: {
    name: 'Forbidden',
    description: 'A key of another site or without the role; an origin the site does not allow',
  },
  404: { name: 'NotFound', description: 'No such site, key, rule, workflow or delivery' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this route takes' },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not JSON (the collector also takes text/plain)',
  },
  429: { name: 'TooManyRequests', description: 'Rate limited; Retry-After says when to retry' },
}

/** The areas of the API, in the order a reader meets them. */
const TAGS: OpenApiDocument['tags'] = [
  { name: 'Ingest', description: 'Sending events, from a page or a backend' },
  { name: 'Site', description: 'Keys and configuration of a site' },
  { name: 'Insights', description: 'Analysis of the events (DESIGN §7); read keys' },
  { name: 'Alerts', description: 'Alert rules, their states and webhook deliveries (DESIGN §9)' },
  { name: 'Compliance', description: 'Audit log, per-user erasure and export, raw export' },
  { name: 'Operator', description: 'Calls with the ADMIN_TOKEN' },
  { name: 'Reference', description: 'Health and this document' },
]

/** The answers have no schemas yet: JSON answers are objects, streams are text. */
const JSON_ANSWER: Record<string, JsonSchema> = { 'application/json': { type: 'object' } }

const PATH_PARAMS: Record<string, string> = {
  site: 'The site id',
  id: 'The id of the key or delivery',
  rule: 'The alert rule id',
  name: 'The workflow name',
  uid: 'The pseudonymous user id the site sends as `uid`',
}

/** A zod schema as JSON Schema, as a request must be written (defaults make fields optional). */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
  return rest as JsonSchema
}

/** The fields of an object schema, intersections (`allOf`) merged. */
export function objectFields(
  s: JsonSchema,
): { name: string; schema: JsonSchema; required: boolean }[] {
  const own = Object.entries(s.properties ?? {}).map(([name, schema]) => ({
    name,
    schema,
    required: s.required?.includes(name) ?? false,
  }))
  return [...own, ...(s.allOf ?? []).flatMap(objectFields)]
}

export function bodySchema(route: RouteSpec): JsonSchema | undefined {
  if (!route.body) return undefined
  const schema = jsonSchema(route.body)
  if (route.items) {
    const field = schema.properties?.[route.items.field]
    if (field) field.items = jsonSchema(route.items.schema)
  }
  return schema
}

/** The auth of a route as OpenAPI security requirements; the roles are 3.1 "role names". */
function security(route: RouteSpec): Json[] {
  if (route.auth === 'none') return []
  if (route.auth === 'admin_token') return [{ adminToken: [] }]
  if (route.auth === 'public_or_ingest') return [{}, { secretKey: ['ingest'] }]
  return [{ secretKey: [...route.auth] }]
}

function parameters(route: RouteSpec): Parameter[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path' as const,
    required: true,
    description: PATH_PARAMS[name] ?? name,
    schema: route.params?.[name] ? jsonSchema(route.params[name]) : { type: 'string' },
  }))
  const query = route.query
    ? objectFields(jsonSchema(route.query)).map((f) => ({
        name: f.name,
        in: 'query' as const,
        required: f.required,
        schema: f.schema,
      }))
    : []
  return [...path, ...query]
}

function operation(route: RouteSpec): Operation {
  const body = bodySchema(route)
  const media = route.produces ?? ['application/json']
  const success =
    route.status === 204
      ? { description: route.returns }
      : {
          description: route.returns,
          content: Object.fromEntries(
            media.map((m) => [m, { schema: JSON_ANSWER[m] ?? { type: 'string' } }]),
          ),
        }
  return {
    operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/\W+/g, '_')}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    'x-auth': route.auth,
    security: security(route),
    parameters: parameters(route),
    ...(body
      ? {
          requestBody: {
            required: true as const,
            content: {
              'application/json': {
                schema: body,
                ...(route.example === undefined ? {} : { example: route.example }),
              },
            },
          },
        }
      : {}),
    responses: {
      [route.status]: success,
      ...Object.fromEntries(
        errorsOf(route).map((s) => [s, { $ref: `#/components/responses/${ERRORS[s].name}` }]),
      ),
    },
  }
}

export function openApiDocument(routes: RouteSpec[] = ROUTES): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stepwise API',
      version: 'v1',
      description:
        'Privacy-first product analytics for banking apps. Every error is ' +
        '{"error": {"code", "message", "details"?}} with a 4xx status; a 5xx is a bug. ' +
        'Rates are fractions 0–1, durations seconds unless a name ends in _ms, null is no data.',
    },
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A secret key of the site, `sk_…`, with a role: ingest (send events), read (read ' +
            'config and insights), admin (read, and change config, keys and alerts).',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The Worker's ADMIN_TOKEN secret, for operators.",
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'A machine-readable code' },
                message: { type: 'string', description: 'What went wrong, for a person' },
                details: { description: 'e.g. the fields at fault: [{path, message}]' },
              },
            },
          },
        },
      },
      responses: Object.fromEntries(
        Object.values(ERRORS).map(({ name, description }) => [
          name,
          {
            description,
            ...(name === 'TooManyRequests'
              ? {
                  headers: {
                    'Retry-After': { description: 'Seconds', schema: { type: 'integer' } },
                  },
                }
              : {}),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  }
}
