// Oracle cases for required functions that Lakebench still evaluates differently from Spark, each with the reason.

/** Case id -> why it differs. The oracle test asserts these still fail, so the list cannot go stale. */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  'nonansi-math-legacy-027': 'round on BIGINT near the limit: legacy wrap-around differs from DuckDB\'s integer rounding.',
  'nonansi-string-functions-legacy-072': 'lpad on BINARY pads bytes in Spark; Lakebench pads the text form.',
  'nonansi-string-functions-legacy-076': 'lpad on BINARY pads bytes in Spark; Lakebench pads the text form.',
  'nonansi-string-functions-legacy-086': 'rpad on BINARY pads bytes in Spark; Lakebench pads the text form.',
  'nonansi-string-functions-legacy-090': 'rpad on BINARY pads bytes in Spark; Lakebench pads the text form.',
  'ansi-json-functions-ansi-004': 'to_json of a map with struct keys prints the key as DuckDB struct text, not Spark\'s [1,2].',
  'datetime-formatting-legacy-003': 'Timestamp literals with a zone suffix (\'...UTC+080000\', \'...Europe/Paris\') are not parsed.'
}
