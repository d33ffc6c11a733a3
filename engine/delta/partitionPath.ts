// Where a partitioned data file goes: Hive-escaped `col=value/` directories and the URI-encoded add.path Spark writes.

/** The directory name Spark/Hive use for a NULL partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__'

// Hive's ExternalCatalogUtils.escapePathName set (POSIX variant): control characters and the ones
// that would change the meaning of a path or a `col=value` pair.
const HIVE_ESCAPED = new Set<string>(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\u007f', '{', '[', ']', '^'])

/** Escapes one path segment the way Hive/Spark do: listed ASCII characters become %XX (upper-case hex); non-ASCII stays. */
export function escapePartitionPathName(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if ((code >= 0x01 && code <= 0x1f) || HIVE_ESCAPED.has(ch)) out += '%' + code.toString(16).toUpperCase().padStart(2, '0')
    else out += ch
  }
  return out
}

/**
 * The relative directory (`a=1/b=__HIVE_DEFAULT_PARTITION__`) for partition values in column order, unencoded.
 * It is the on-disk path; add.path is this run through {@link encodeAddPath}.
 */
export function partitionDirectory(columns: readonly string[], values: Record<string, string | null>): string {
  return columns
    .map((c) => {
      const v = values[c]
      return `${escapePartitionPathName(c)}=${v === null || v === undefined ? HIVE_DEFAULT_PARTITION : escapePartitionPathName(v)}`
    })
    .join('/')
}

// java.net.URI's legal path characters (unreserved, punct, '/'); the multi-argument URI constructors that Hadoop's
// Path.toUri uses quote everything else in ASCII, always including '%', and leave other Unicode characters as they are.
const URI_PATH_LEGAL = /[A-Za-z0-9\-_.!~*'();:@&=+$,/]/

/**
 * Encodes a relative file path for add.path / remove.path like Spark (Hadoop Path.toUri): an escaped partition
 * value `%2F` becomes `%252F`, a space becomes `%20`; non-ASCII letters stay as they are.
 */
export function encodeAddPath(relativePath: string): string {
  let out = ''
  for (const ch of relativePath) {
    const code = ch.codePointAt(0)!
    const isSpaceOrControl = /[\s\p{Cc}\p{Zs}\p{Zl}\p{Zp}]/u.test(ch)
    if (URI_PATH_LEGAL.test(ch) || (code >= 0x80 && !isSpaceOrControl)) out += ch
    else for (const byte of Buffer.from(ch, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}
