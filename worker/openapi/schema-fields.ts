/**
 * A JSON Schema as rows a person reads: one per field, nested fields by path (`steps[].type`,
 * `thresholds.{key}.warning`), each with its type, whether it is required, and its limits.
 */
import { objectFields, type JsonSchema } from './document'

export type FieldRow = { name: string; type: string; required: boolean; notes: string[] }

const MAX_DEPTH = 6

export function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map(typeOf).join(' | ')
  if ('const' in s) return JSON.stringify(s.const)
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items as JsonSchema) : 'any'}`
  if (s.type === 'object' && isSchema(s.additionalProperties) && !s.properties) {
    return `map of ${typeOf(s.additionalProperties)}`
  }
  return typeof s.type === 'string' ? s.type : 'any'
}

export function notesOf(s: JsonSchema): string[] {
  const notes: string[] = []
  if (Array.isArray(s.enum)) notes.push(`one of ${s.enum.map((v) => String(v)).join(', ')}`)
  const range = (what: string, min: unknown, max: unknown) => {
    if (min !== undefined && max !== undefined) notes.push(`${what} ${min}–${max}`)
    else if (min !== undefined) notes.push(`${what} ≥ ${min}`)
    else if (max !== undefined) notes.push(`${what} ≤ ${max}`)
  }
  range('length', s.minLength, s.maxLength)
  range('items', s.minItems, s.maxItems)
  range('value', s.minimum ?? s.exclusiveMinimum, s.maximum ?? s.exclusiveMaximum)
  if (typeof s.format === 'string') notes.push(`format ${s.format}`)
  if (typeof s.pattern === 'string') notes.push(`pattern ${s.pattern}`)
  if (s.additionalProperties === false) notes.push('no other fields')
  if (isSchema(s.propertyNames)) notes.push(`keys: ${describeKey(s.propertyNames)}`)
  if (s.default !== undefined) notes.push(`default ${JSON.stringify(s.default)}`)
  if (typeof s.description === 'string') notes.push(s.description)
  return notes
}

export function fieldRows(schema: JsonSchema, prefix = '', depth = 0): FieldRow[] {
  if (depth > MAX_DEPTH) return []
  return objectFields(schema).flatMap(({ name, schema: s, required }) => {
    const path = prefix + name
    return [
      { name: path, type: typeOf(s), required, notes: notesOf(s) },
      ...children(s, path, depth),
    ]
  })
}

/** The fields inside a field: an object's, an array's items', a map's values'. */
function children(s: JsonSchema, path: string, depth: number): FieldRow[] {
  if (s.properties || s.allOf) return fieldRows(s, `${path}.`, depth + 1)
  if (s.type === 'array' && isSchema(s.items)) return children(s.items, `${path}[]`, depth)
  if (isSchema(s.additionalProperties))
    return children(s.additionalProperties, `${path}.{key}`, depth)
  return []
}

function describeKey(s: JsonSchema): string {
  return [typeOf(s), ...notesOf(s)].join(', ')
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
