// Regenerates docs/spark-functions.md: runs Spark's golden cases on Lakebench and writes the compatibility table.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { buildCompatDocument, COMPAT_DOCUMENT, REPOSITORY_ROOT } from '../engine/sql/dialect/functions/compat/compatDocument'

async function main(): Promise<void> {
  const { text, outcomes } = await buildCompatDocument()
  await fs.mkdir(path.join(REPOSITORY_ROOT, 'docs'), { recursive: true })
  await fs.writeFile(path.join(REPOSITORY_ROOT, COMPAT_DOCUMENT), text)
  const passed = outcomes.filter((o) => o.passed).length
  console.log(`${COMPAT_DOCUMENT}: ${passed}/${outcomes.length} oracle cases pass`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
