// Benchmark entry: `npm run bench -- <name>` runs one benchmark (all when no name is given).
import { runTimeTravelBench } from './timetravel'

const benchmarks: Record<string, () => Promise<void>> = {
  timetravel: runTimeTravelBench
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = requested.length > 0 ? requested : Object.keys(benchmarks)
for (const name of names) {
  const bench = benchmarks[name]
  if (!bench) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(benchmarks).join(', ')}`)
    process.exit(2)
  }
  await bench()
}
