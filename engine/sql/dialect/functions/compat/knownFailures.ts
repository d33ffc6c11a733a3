// Oracle cases for required functions that Lakebench still evaluates differently from Spark, each with the reason.

/** Case id -> why it differs. The oracle test asserts these still fail, so the list cannot go stale. */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {}
