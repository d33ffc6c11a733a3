// sparkSqlLanguage: Monaco's SQL highlighting extended with the Spark / Delta keywords the engine accepts.
import type { languages } from 'monaco-editor/editor'
import { conf, language } from 'monaco-editor/languages/definitions/sql/sql'

/** Words Monaco's generic SQL list lacks but Spark SQL and Delta use (time travel, history, table maintenance). */
const sparkKeywords = [
  'VERSION', 'HISTORY', 'DESCRIBE', 'DETAIL', 'SHOW', 'SCHEMAS', 'TABLES', 'DATABASES', 'COLUMNS', 'OPTIMIZE', 'ZORDER',
  'VACUUM', 'RESTORE', 'MERGE', 'MATCHED', 'USING', 'DELTA', 'TBLPROPERTIES', 'PARTITIONED', 'LOCATION', 'REPLACE',
  'OVERWRITE', 'STREAMING', 'LIVE', 'MATERIALIZED', 'EXPECT', 'VIOLATION', 'FAIL', 'QUALIFY', 'PIVOT', 'UNPIVOT',
  'LATERAL', 'CLONE', 'SHALLOW', 'DEEP', 'RETAIN', 'HOURS', 'DRY', 'RUN', 'IF', 'EXISTS', 'STRUCT', 'MAP', 'ARRAY',
  'STRING', 'BIGINT', 'TINYINT', 'BOOLEAN', 'DOUBLE', 'TIMESTAMP_NTZ', 'BINARY', 'LIMIT'
]

export const sparkSqlConfiguration: languages.LanguageConfiguration = conf
export const sparkSqlTokens: languages.IMonarchLanguage = {
  ...language,
  keywords: [...new Set([...(language.keywords as string[]), ...sparkKeywords])]
}
