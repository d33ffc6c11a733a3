// The shape every Spark function family module exports: macros, call rewrites, JS functions and compatibility notes.
import type { DuckDBScalarFunction } from '@duckdb/node-api'
import type { TextEdit } from '../textEdits'
import type { Call, SparkMode } from './callSyntax'
import type { Token } from '../tokenizer'

/** What a call rewrite can see besides the call: the mode and the statement's significant tokens. */
export interface RewriteContext {
  mode: SparkMode
  sig: readonly Token[]
  /** Significant index of the call's name. */
  index: number
  /** True when the statement reads a source carrying the reserved input-file-name column. */
  fileNameColumn: boolean
}

/** Edits for one call, or null to leave it alone (DuckDB then runs it as written). */
export type CallRewrite = (call: Call, context: RewriteContext) => TextEdit[] | null

/** One row of the compatibility table. */
export interface FunctionNote {
  name: string
  status: 'yes' | 'partial' | 'no'
  /** Known differences from Spark, one line each. */
  differences: string[]
}

export interface FunctionFamily {
  family: string
  /** `name(params) AS body` definitions, created as temp macros for the given mode. */
  macros(mode: SparkMode): string[]
  /** Rewrites keyed by upper-case function name. */
  rewrites: Record<string, CallRewrite>
  /** JS scalar functions for what SQL cannot express (mode independent). */
  udfs?: () => DuckDBScalarFunction[]
  notes: FunctionNote[]
}
