// Spark conditional functions on DuckDB: nvl, nvl2, ifnull, if, coalesce, nullif (NULL semantics as Spark).
import { rename } from './callSyntax'
import type { FunctionFamily } from './family'

export const conditionalFamily: FunctionFamily = {
  family: 'conditional',
  macros: () => [
    '__lb_nvl(a, b) AS coalesce(a, b)',
    '__lb_nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END'
  ],
  rewrites: {
    NVL: (call) => (call.args.length === 2 ? rename(call, '__lb_nvl') : null),
    NVL2: (call) => (call.args.length === 3 ? rename(call, '__lb_nvl2') : null)
  },
  notes: [
    { name: 'nvl', status: 'yes', differences: [] },
    { name: 'nvl2', status: 'yes', differences: [] },
    { name: 'coalesce', status: 'yes', differences: [] },
    { name: 'if', status: 'yes', differences: [] },
    { name: 'ifnull', status: 'yes', differences: [] }
  ]
}
