// Types for Monaco's bundled SQL language definition module, which ships without a declaration file.
declare module 'monaco-editor/languages/definitions/sql/sql' {
  import type { languages } from 'monaco-editor/editor'
  export const conf: languages.LanguageConfiguration
  export const language: languages.IMonarchLanguage & { keywords: string[] }
}
