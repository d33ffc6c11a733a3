// The rows every retail pipeline table should hold after data sets 1..n, computed from the generated data (never typed in).
import type { ExpectedCount } from '../expectedCount'
import { addCounts, countRows, keptRows, totalRows, type LandedRow, type RowCounts } from '../landingManifest'
import { generateRetailDataSets, RETAIL_SEED, type RetailDataSet } from './retailDataSets'

/**
 * Customer value tiers by completed spend, highest first; must match the CASE in pipelines/retail/04_gold.sql.
 * A customer with no completed purchase is a 'prospect'.
 */
export const VALUE_TIERS: readonly { tier: string; minCents: number }[] = [
  { tier: 'platinum', minCents: 200_000 },
  { tier: 'gold', minCents: 100_000 },
  { tier: 'silver', minCents: 50_000 },
  { tier: 'bronze', minCents: 1 }
]

const ZERO: RowCounts = { good: 0, late: 0, duplicate: 0, malformed: 0, warned: 0 }

/** The tier of a completed spend in cents. */
export function valueTier(cents: number): string {
  return VALUE_TIERS.find((t) => cents >= t.minCents)?.tier ?? 'prospect'
}

/**
 * Expected row counts after the retail pipeline ran over data sets 1..`throughSet`: pre-stage (bronze) keeps every
 * landed row, stage quarantines exactly the malformed ones, silver dedupes and keeps customer history (SCD2), gold
 * aggregates. See samples/retail/README.md.
 * @throws RangeError when throughSet < 1.
 */
export function retailExpectedCounts(throughSet: number, seed = RETAIL_SEED): ExpectedCount[] {
  return expectedFromSets(generateRetailDataSets(throughSet, seed))
}

/** The same computation over already generated sets (1..n, in order). */
export function expectedFromSets(sets: readonly RetailDataSet[]): ExpectedCount[] {
  const sum = (pick: (s: RetailDataSet) => readonly LandedRow<unknown>[]): RowCounts =>
    sets.map((s) => countRows(pick(s))).reduce(addCounts, ZERO)
  const customers = sum((s) => s.customers)
  const products = sum((s) => s.products)
  const transactions = sum((s) => s.transactions)

  const versions = new Set<string>()
  const customerIds = new Set<string>()
  for (const s of sets) for (const r of s.customers) if (r.row.fact) {
    versions.add(`${r.row.fact.customerId}|${r.row.fact.updatedAt}`)
    customerIds.add(r.row.fact.customerId)
  }
  const productIds = new Set(sets.flatMap((s) => s.products.flatMap((r) => (r.row.fact ? [r.row.fact.productId] : []))))
  const sales = new Map<string, { customerId: string; amountCents: number; ts: number; status: string }>()
  for (const s of sets) for (const r of s.transactions) if (r.row.fact) sales.set(r.row.fact.transactionId, r.row.fact)
  const saleDates = new Set([...sales.values()].map((t) => new Date(t.ts).toISOString().slice(0, 10)))
  const spend = new Map<string, number>([...customerIds].map((id) => [id, 0]))
  for (const t of sales.values()) if (t.status === 'completed') spend.set(t.customerId, (spend.get(t.customerId) ?? 0) + t.amountCents)
  const tiers = new Set([...spend.values()].map(valueTier))

  return [
    { table: 'bronze.customers', rows: totalRows(customers), because: 'pre-stage keeps every landed customer row' },
    { table: 'bronze.products', rows: totalRows(products), because: 'pre-stage keeps every landed product row' },
    { table: 'bronze.transactions', rows: totalRows(transactions), because: 'pre-stage keeps every landed transaction' },
    { table: 'silver.stg_customers', rows: keptRows(customers), because: 'valid customer rows (good + late)' },
    { table: 'silver.stg_customers_quarantine', rows: customers.malformed, because: 'customer rows with no customer_id or an unparseable updated_at' },
    { table: 'silver.stg_products', rows: keptRows(products), because: 'valid product rows (good + late + duplicate)' },
    { table: 'silver.stg_products_quarantine', rows: products.malformed, because: 'product rows with an unparseable unit_price' },
    { table: 'silver.stg_transactions', rows: keptRows(transactions), because: 'valid transactions (good + late + duplicate)' },
    { table: 'silver.stg_transactions_quarantine', rows: transactions.malformed, because: "amount 'abc', quantity 0, no customer_id, no transaction_id" },
    { table: 'silver.customers', rows: versions.size, because: 'SCD2: one version per distinct (customer_id, updated_at)' },
    { table: 'silver.customers', where: '__END_AT IS NULL', rows: customerIds.size, because: 'one current version per customer' },
    { table: 'silver.products', rows: productIds.size, because: 'latest row per product' },
    { table: 'silver.transactions', rows: sales.size, because: 'distinct valid transaction ids' },
    { table: 'gold.customer_360', rows: customerIds.size, because: 'one row per current customer' },
    { table: 'gold.daily_sales', rows: saleDates.size, because: 'distinct transaction dates' },
    { table: 'gold.product_performance', rows: productIds.size, because: 'one row per product, sold or not' },
    { table: 'gold.value_tiers', rows: tiers.size, because: 'distinct value tiers among customers' }
  ]
}
