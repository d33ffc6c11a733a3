// monacoSetup: the slim, locally bundled Monaco (editor core + Spark-flavoured SQL only) and its one web worker.
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/register.all'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { sparkSqlConfiguration, sparkSqlTokens } from './sparkSqlLanguage'

// Only the editor worker exists in this build: SQL needs no language worker, so every label gets it.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() }

// Registered directly (not through Monaco's lazy `sql` contribution, which would later replace these tokens).
monaco.languages.register({ id: 'sql', extensions: ['.sql'], aliases: ['Spark SQL', 'SQL'] })
monaco.languages.setLanguageConfiguration('sql', sparkSqlConfiguration)
monaco.languages.setMonarchTokensProvider('sql', sparkSqlTokens)

export { monaco }
