// A DELETE predicate as the Delta writer needs it: columns of the target table unqualified, evaluated row by row.
import { SqlError } from '../sqlError'
import { findTableReferences } from './tableReferences'
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'

/**
 * Removes the target's `alias.` / `table.` qualifiers from a DELETE predicate, because the writer evaluates it over
 * the table's rows without an alias. Only qualifiers outside subqueries are removed: inside a subquery an unqualified
 * name binds to the subquery's own tables first, so `EXISTS (SELECT 1 FROM s WHERE s.id = t.id)` would silently
 * become `s.id = s.id` and match every row.
 * @throws SqlError UNSUPPORTED naming the line and column of a target qualifier inside a subquery (a correlated
 *   reference), unless the subquery declares that name itself.
 */
export function unqualifiedDeletePredicate(tokens: readonly Token[], names: ReadonlySet<string>, table: string): Token[] {
  const declaredInside = new Set(findTableReferences(tokens).references.map((r) => (r.alias ?? r.parts[r.parts.length - 1]!).toLowerCase()))
  const subqueryLevels: boolean[] = []
  const out: Token[] = []
  let prev: Token | undefined
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!
    if (t.text === '(') {
      const next = tokens.slice(k + 1).find(isSignificant)
      subqueryLevels.push(isKeyword(next, 'SELECT', 'WITH', 'FROM', 'VALUES'))
    } else if (t.text === ')') subqueryLevels.pop()
    const name = identifierOf(t)
    const qualifies = name !== null && names.has(name.toLowerCase()) && tokens[k + 1]?.text === '.' && prev?.text !== '.' && !isKeyword(prev, 'FROM', 'JOIN')
    if (qualifies && subqueryLevels.some(Boolean)) {
      if (!declaredInside.has(name.toLowerCase())) {
        throw new SqlError('UNSUPPORTED', `DELETE FROM ${table}: the subquery refers to the target row as ${name}.${tokens[k + 2]?.text ?? ''} (line ${t.line}, column ${t.column}); correlated subqueries are not supported in DELETE yet, use a non-correlated form such as WHERE id IN (SELECT id FROM ...)`, {
          line: t.line, column: t.column, table
        })
      }
    } else if (qualifies) {
      k++ // skip the dot too
      prev = tokens[k]
      continue
    }
    out.push(t)
    if (isSignificant(t)) prev = t
  }
  return out
}
