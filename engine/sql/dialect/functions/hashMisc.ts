// Spark hash and miscellaneous functions on DuckDB: sha2 (all widths), md5, crc32, uuid, monotonically_increasing_id, input_file_name.
import { createHash } from 'node:crypto'
import { BIGINT, INTEGER, VARCHAR } from '@duckdb/node-api'
import { rename, replaceCall, type SparkMode } from './callSyntax'
import type { FunctionFamily } from './family'
import { rowFunction } from './scalarUdf'

const SHA2: Record<number, string> = { 0: 'sha256', 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512' }

let crcTable: Uint32Array | undefined
/** CRC-32 (IEEE) of UTF-8 bytes, as Spark's crc32. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** The reserved column read_files views carry with each row's source file; input_file_name() reads it. */
export const INPUT_FILE_NAME_COLUMN = '__input_file_name'

function macros(_mode: SparkMode): string[] {
  return []
}

export const hashMiscFamily: FunctionFamily = {
  family: 'hash/misc',
  macros,
  udfs: () => [
    // Spark returns NULL for an unsupported bit length.
    rowFunction('__lb_sha2', [VARCHAR, INTEGER], VARCHAR, ([text, bits]) => {
      const algorithm = SHA2[bits as number]
      return algorithm ? createHash(algorithm).update(String(text), 'utf8').digest('hex') : null
    }),
    rowFunction('__lb_crc32', [VARCHAR], BIGINT, ([text]) => BigInt(crc32(Buffer.from(String(text), 'utf8'))))
  ],
  rewrites: {
    SHA2: (call) => (call.args.length === 2 ? rename(call, '__lb_sha2') : null),
    SHA: (call) => (call.args.length === 1 ? rename(call, 'sha1') : null),
    CRC32: (call) => (call.args.length === 1 ? rename(call, '__lb_crc32') : null),
    UUID: (call) => (call.args.length === 0 ? replaceCall(call, 'CAST(gen_random_uuid() AS VARCHAR)') : null),
    MONOTONICALLY_INCREASING_ID: (call) => (call.args.length === 0 ? replaceCall(call, 'CAST(row_number() OVER () - 1 AS BIGINT)') : null),
    INPUT_FILE_NAME: (call, context) => (call.args.length === 0
      ? replaceCall(call, context.fileNameColumn ? `coalesce(CAST("${INPUT_FILE_NAME_COLUMN}" AS VARCHAR), '')` : "''")
      : null)
  },
  notes: [
    { name: 'sha2', status: 'yes', differences: ['Binary input is hashed as its text.'] },
    { name: 'md5', status: 'yes', differences: [] },
    { name: 'uuid', status: 'yes', differences: [] },
    { name: 'monotonically_increasing_id', status: 'partial', differences: ['Consecutive ids from 0 (a row_number window): not usable inside aggregates; Spark puts the partition id in the upper bits.'] },
    { name: 'input_file_name', status: 'partial', differences: [`Reads the reserved column ${INPUT_FILE_NAME_COLUMN} when the statement reads a source that carries it (read_files views; see setInputFileSources); '' otherwise, as Spark outside file scans.`] }
  ]
}
