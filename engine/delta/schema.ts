// The Delta table schema: Spark's struct JSON (metaData.schemaString) as TypeScript types.

export type PrimitiveTypeName =
  | 'string' | 'long' | 'integer' | 'short' | 'byte' | 'float' | 'double' | 'boolean' | 'binary'
  | 'date' | 'timestamp' | 'timestamp_ntz' | 'variant'
  | `decimal(${number},${number})` | `decimal(${number}, ${number})`

export interface StructField {
  name: string
  type: DataType
  nullable: boolean
  /** Field metadata: delta.columnMapping.id, delta.columnMapping.physicalName, comment, ... */
  metadata: Record<string, unknown>
}

export interface StructType {
  type: 'struct'
  fields: StructField[]
}

export interface ArrayType {
  type: 'array'
  elementType: DataType
  containsNull: boolean
}

export interface MapType {
  type: 'map'
  keyType: DataType
  valueType: DataType
  valueContainsNull: boolean
}

export type DataType = PrimitiveTypeName | string | StructType | ArrayType | MapType

/**
 * Parses metaData.schemaString.
 * @throws Error when the string is not JSON or not a struct.
 */
export function parseSchemaString(schemaString: string): StructType {
  let parsed: unknown
  try {
    parsed = JSON.parse(schemaString)
  } catch (e) {
    throw new Error(`metaData.schemaString is not valid JSON: ${(e as Error).message}`)
  }
  if (!isStruct(parsed as DataType)) throw new Error('metaData.schemaString is not a struct type')
  return parsed as StructType
}

export function isStruct(t: DataType): t is StructType {
  return typeof t === 'object' && t !== null && (t as StructType).type === 'struct'
}

export function isArray(t: DataType): t is ArrayType {
  return typeof t === 'object' && t !== null && (t as ArrayType).type === 'array'
}

export function isMap(t: DataType): t is MapType {
  return typeof t === 'object' && t !== null && (t as MapType).type === 'map'
}
