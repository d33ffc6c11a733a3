// Retail landing data sets 1, 2, ...: customer, product and point-of-sale transaction drops with late, duplicate,
// malformed and warn-worthy rows, and a manifest of each file.
import { countRows, type LandedRow, type LandingFile } from '../landingManifest'
import { csvText, dateText, ndjsonText, timestampText } from '../landingText'
import { SeededRandom } from '../../engine/stream/producer/seededRandom'

/** Data set k covers the 7 days from RETAIL_START_MS + (k-1) weeks. */
export const RETAIL_START_MS = Date.parse('2024-03-01T00:00:00Z')
export const RETAIL_DAYS_PER_SET = 7
export const RETAIL_SEED = 20240301
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

export interface CustomerLine {
  customer_id: string
  first_name: string
  last_name: string
  email: string
  city: string
  state: string
  signup_date: string
  updated_at: string
}

export interface ProductLine {
  product_id: string
  product_name: string
  category: string
  unit_price: string
  updated_at: string
}

export interface TransactionLine {
  transaction_id: string | null
  customer_id: string | null
  product_id: string
  quantity: number
  unit_price: number
  amount: number | string
  transaction_ts: string
  channel: string
  store_id: number
  status: 'completed' | 'returned'
}

/** Typed facts behind valid rows, for the expected-count model (amounts in cents, times in ms). */
export interface CustomerFact { customerId: string; updatedAt: number }
export interface ProductFact { productId: string; category: string; updatedAt: number }
export interface TransactionFact { transactionId: string; customerId: string; productId: string; quantity: number; amountCents: number; ts: number; status: 'completed' | 'returned' }

export interface RetailRow<T, F> {
  line: T
  fact: F | null
}

export interface RetailDataSet {
  setNumber: number
  customers: LandedRow<RetailRow<CustomerLine, CustomerFact>>[]
  products: LandedRow<RetailRow<ProductLine, ProductFact>>[]
  transactions: LandedRow<RetailRow<TransactionLine, TransactionFact>>[]
  files: LandingFile[]
}

/** Orders of this amount or more trip the warn-only `large_order` expectation. */
export const LARGE_ORDER_CENTS = 40_000

const FIRST_NAMES = ['amelia', 'bruno', 'carla', 'dmitri', 'esther', 'felix', 'gita', 'hamid', 'ines', 'jorge', 'keiko', 'lars', 'mina', 'nikos', 'oona', 'pablo']
const LAST_NAMES = ['abbott', 'baker', 'costa', 'duarte', 'engel', 'fontaine', 'gupta', 'holm', 'ivanova', 'jakobsen', 'kumar', 'larsen']
const CITIES: [string, string][] = [['Seattle', 'WA'], ['Boston', 'MA'], ['Chicago', 'IL'], ['Phoenix', 'AZ'], ['Atlanta', 'GA'], ['Denver', 'CO']]
const CATEGORIES = ['grocery', 'home', 'electronics', 'apparel', 'toys']
const CHANNELS = ['store', 'online', 'mobile']

interface Customer { id: string; first: string; last: string; email: string; city: string; state: string; signup: number; updatedAt: number }
interface Product { id: string; name: string; category: string; priceCents: number; updatedAt: number }

function windowStart(k: number): number {
  return RETAIL_START_MS + (k - 1) * RETAIL_DAYS_PER_SET * DAY_MS
}

function money(cents: number): string {
  return (cents / 100).toFixed(2)
}

/**
 * Generates retail data sets 1..`upTo` (deterministic for a seed). Per set k:
 * customers: new customers (30, then 8), set 1 also 2 signed up the day before (late), later sets 4 changes plus one
 * out-of-order change from the previous week (late); 1 new customer with an email without '@' (warned); 2 malformed
 * (no customer_id, unparseable updated_at). Products: 20 then 3 new, 2 price changes in later sets, 1 stale older
 * price row (late), 1 duplicate, 1 malformed unit_price in set 1 only. Transactions: 240 then 200 in the week, 6 from
 * the previous week (late), 5 duplicates, 4 malformed (amount 'abc', quantity 0, no customer_id, no transaction_id).
 * @throws RangeError when upTo < 1.
 */
export function generateRetailDataSets(upTo: number, seed = RETAIL_SEED): RetailDataSet[] {
  if (!Number.isInteger(upTo) || upTo < 1) throw new RangeError(`Data set numbers start at 1 (got ${upTo})`)
  const random = new SeededRandom(seed)
  const customers: Customer[] = []
  const products: Product[] = []
  let transactionSeq = 0
  const sets: RetailDataSet[] = []

  const customerLine = (c: Customer): CustomerLine => ({
    customer_id: c.id, first_name: c.first, last_name: c.last, email: c.email, city: c.city, state: c.state,
    signup_date: dateText(c.signup), updated_at: timestampText(c.updatedAt)
  })
  const productLine = (p: Product): ProductLine => ({
    product_id: p.id, product_name: p.name, category: p.category, unit_price: money(p.priceCents), updated_at: timestampText(p.updatedAt)
  })
  const newCustomer = (signup: number, badEmail = false): Customer => {
    const id = `C${String(customers.length + 1).padStart(4, '0')}`
    const first = random.pick(FIRST_NAMES)
    const last = random.pick(LAST_NAMES)
    const [city, state] = random.pick(CITIES)
    const email = badEmail ? `${first}.${last}.at.example.com` : `${first}.${last}${customers.length + 1}@example.com`
    const c: Customer = { id, first, last, email, city, state, signup, updatedAt: signup }
    customers.push(c)
    return c
  }
  const newProduct = (at: number): Product => {
    const n = products.length + 1
    const category = CATEGORIES[(n - 1) % CATEGORIES.length]!
    const p: Product = { id: `P${String(n).padStart(3, '0')}`, name: `${category} item ${n}`, category, priceCents: random.int(5, 120) * 100 + random.pick([0, 49, 99]), updatedAt: at }
    products.push(p)
    return p
  }

  for (let k = 1; k <= upTo; k++) {
    const start = windowStart(k)
    type C = LandedRow<RetailRow<CustomerLine, CustomerFact>>
    type P = LandedRow<RetailRow<ProductLine, ProductFact>>
    type T = LandedRow<RetailRow<TransactionLine, TransactionFact>>
    const customerRows: C[] = []
    const productRows: P[] = []
    const transactionRows: T[] = []
    const validCustomer = (c: Customer, kind: 'good' | 'late', warned = false): C =>
      ({ kind, warned, row: { line: customerLine(c), fact: { customerId: c.id, updatedAt: c.updatedAt } } })
    const validProduct = (p: Product, kind: 'good' | 'late'): P =>
      ({ kind, row: { line: productLine(p), fact: { productId: p.id, category: p.category, updatedAt: p.updatedAt } } })

    // Customers.
    if (k === 1) {
      for (let i = 0; i < 2; i++) customerRows.push(validCustomer(newCustomer(start - DAY_MS + (9 + i) * HOUR_MS), 'late'))
    }
    const newCount = k === 1 ? 30 : 8
    for (let i = 0; i < newCount; i++) customerRows.push(validCustomer(newCustomer(start + random.int(0, 8 * 60) * 60_000, i === 3), 'good', i === 3))
    if (k > 1) {
      const earlier = customers.filter((c) => c.signup < windowStart(k - 1) + DAY_MS)
      const changed = new Set<Customer>()
      while (changed.size < 4) changed.add(random.pick(earlier))
      const [first] = [...changed]
      const lateAt = start - 12 * HOUR_MS
      const outOfOrder = first!.updatedAt < lateAt
      for (const c of changed) {
        const [city, state] = random.pick(CITIES)
        Object.assign(c, { city, state, updatedAt: start + random.int(24, 120) * HOUR_MS })
        customerRows.push(validCustomer(c, 'good'))
      }
      if (outOfOrder) {
        // The previous week's change arrives after this week's: SCD2 slots it in by updated_at.
        const snapshot: Customer = { ...first!, city: 'Portland', state: 'OR', updatedAt: lateAt }
        customerRows.push(validCustomer(snapshot, 'late'))
      }
    }
    const someCustomer = customers[k]!
    customerRows.push(
      { kind: 'malformed', row: { fact: null, line: { ...customerLine(someCustomer), customer_id: '', updated_at: timestampText(start + 30 * HOUR_MS) } } },
      { kind: 'malformed', row: { fact: null, line: { ...customerLine(someCustomer), updated_at: 'yesterday' } } }
    )

    // Products.
    const newProducts = k === 1 ? 20 : 3
    for (let i = 0; i < newProducts; i++) productRows.push(validProduct(newProduct(start + i * 60_000), 'good'))
    if (k > 1) {
      for (const p of [products[1 + k]!, products[7 + k]!]) {
        p.priceCents += random.int(1, 9) * 50
        p.updatedAt = start + random.int(24, 100) * HOUR_MS
        productRows.push(validProduct(p, 'good'))
      }
    }
    const stale = products[4 + k]!
    // A stale price from before the product's current row, delivered late: the latest row must still win.
    productRows.push(validProduct({ ...stale, priceCents: stale.priceCents - 100, updatedAt: stale.updatedAt - 3 * DAY_MS }, 'late'))
    productRows.push({ kind: 'duplicate', row: productRows[random.int(0, newProducts - 1)]!.row })
    if (k === 1) productRows.push({ kind: 'malformed', row: { fact: null, line: { ...productLine(products[0]!), unit_price: 'n/a' } } })

    // Transactions: the week's sales, then late ones from the day(s) before the window.
    const sale = (ts: number, kind: 'good' | 'late'): T => {
      const eligible = customers.filter((c) => c.signup <= ts)
      const c = random.pick(eligible)
      const p = random.pick(products)
      const quantity = random.int(1, 4)
      const amountCents = quantity * p.priceCents
      const status = random.chance(0.07) ? 'returned' : 'completed'
      const id = `T${String(++transactionSeq).padStart(6, '0')}`
      const line: TransactionLine = {
        transaction_id: id, customer_id: c.id, product_id: p.id, quantity, unit_price: p.priceCents / 100, amount: amountCents / 100,
        transaction_ts: timestampText(ts), channel: random.pick(CHANNELS), store_id: random.int(1, 4), status
      }
      return { kind, warned: amountCents >= LARGE_ORDER_CENTS, row: { line, fact: { transactionId: id, customerId: c.id, productId: p.id, quantity, amountCents, ts, status } } }
    }
    const count = k === 1 ? 240 : 200
    const times = Array.from({ length: count }, () => start + 9 * HOUR_MS + random.int(0, RETAIL_DAYS_PER_SET - 1) * DAY_MS + random.int(0, 12 * 60) * 60_000).sort((a, b) => a - b)
    for (const ts of times) transactionRows.push(sale(ts, 'good'))
    for (let i = 0; i < 6; i++) transactionRows.push(sale(start - DAY_MS + (10 + i) * HOUR_MS, 'late'))
    const template = transactionRows.find((r) => !r.warned)!.row.line
    const bad = (patch: Partial<TransactionLine>): T => ({ kind: 'malformed', row: { fact: null, line: { ...template, transaction_id: `X${k}${String(++transactionSeq).padStart(5, '0')}`, ...patch } } })
    transactionRows.splice(count / 2, 0, bad({ amount: 'abc' }), bad({ quantity: 0, amount: 0 }), bad({ customer_id: null }), bad({ transaction_id: null }))
    for (let i = 0; i < 5; i++) {
      const original = transactionRows[random.int(0, count - 1)]!
      transactionRows.push(original.kind === 'good' ? { ...original, kind: 'duplicate' } : { ...transactionRows[0]!, kind: 'duplicate' })
    }

    sets.push({ setNumber: k, customers: customerRows, products: productRows, transactions: transactionRows, files: renderFiles(k, customerRows, productRows, transactionRows) })
  }
  return sets
}

function renderFiles(k: number, customers: RetailDataSet['customers'], products: RetailDataSet['products'], transactions: RetailDataSet['transactions']): LandingFile[] {
  const customerPath = `landing/retail/customers/customers_${k}.csv`
  const productPath = `landing/retail/products/products_${k}.csv`
  const transactionPath = `landing/retail/transactions/transactions_${k}.json`
  return [
    {
      path: customerPath, format: 'csv',
      text: csvText(['customer_id', 'first_name', 'last_name', 'email', 'city', 'state', 'signup_date', 'updated_at'], customers.map((r) => r.row.line)),
      manifest: { path: customerPath, format: 'csv', rows: countRows(customers) }
    },
    {
      path: productPath, format: 'csv',
      text: csvText(['product_id', 'product_name', 'category', 'unit_price', 'updated_at'], products.map((r) => r.row.line)),
      manifest: { path: productPath, format: 'csv', rows: countRows(products) }
    },
    {
      path: transactionPath, format: 'json',
      text: ndjsonText(transactions.map((r) => r.row.line)),
      manifest: { path: transactionPath, format: 'json', rows: countRows(transactions) }
    }
  ]
}
