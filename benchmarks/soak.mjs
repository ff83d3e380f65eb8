// Fault soak from Node: creations and lock/unlock cycles through an emulator injecting every
// fault it knows, then the emulator's own state checked (issue 14, item 1). The same scenario as
// benchmarks/soak.py (read its header for the reasons of the two phases).
//
//   node benchmarks/soak.mjs                                  # 200 creations, 1,300 lock/unlocks
//   node benchmarks/soak.mjs --creates 500 --cycles 5 --seed 7
//
// Faults, with a fixed seed: bare gateway 429s (the limiter and scripted `rate_limit` faults) and
// JSON 429s (scripted `error` faults), 502/503 HTML pages, resets before and after the write,
// truncated bodies, slow answers, and late-applied writes. Phase 1 creates (a
// CreateUnconfirmedError is followed by ensureOrganization, as a provisioning script would);
// `apply_late` and slow answers past the client's timeout are injected there only, landing well
// within the settle window. Phase 2 cycles lock/unlock without them: a lock landing late, after
// the unlock that followed it, would legitimately change the final state, which would then no
// longer be the script's to define. Then, faults cleared, the emulator's own state must show one
// organization per customer ID, even ones locked by the partner and odd ones back under
// Scaleway's validate_email lock, and every error that reached the caller must be a
// ScalewayError. Figures are printed, never asserted; node/tests/soak.test.mjs runs a short
// version. Node exposes no logs: retries and lookups are counted from the emulator's requests.

import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, '../node/package.json'))
const { Client, CreateUnconfirmedError, ScalewayError } = require('scaleway_partner')
const { MockServer } = require('scaleway_partner/testing')

const TIMEOUT_MS = 1000
const SETTLE_MS = 2000
const CREATE_PHASE = {
  serverError: 0.06,
  resetBefore: 0.05,
  resetAfter: 0.05,
  truncate: 0.04,
  slow: 0.03,
  slowMs: 1500, // past the timeout: the write lands 0.5 s after the client gave up
  applyLate: 0.06,
  applyLateMs: 400, // well within the settle window
}
const CYCLE_PHASE = {
  serverError: 0.06,
  resetBefore: 0.05,
  resetAfter: 0.05,
  truncate: 0.04,
  slow: 0.04,
  slowMs: 300, // under the timeout: slow, never late
}
const JSON_429 = { type: 'too_many_requests', message: 'quota exceeded', help_message: 'slow down' }

/** Bare gateway 429s and Scaleway JSON 429s for the next requests of any operation. */
const scripted429s = (count) => [
  { fault: 'rate_limit', count },
  { fault: 'error', status: 429, body: JSON_429, count },
]

const customerId = (i) => `soak-${String(i).padStart(5, '0')}`

/** Runs `tasks` (functions returning promises), at most `limit` at once. */
async function bounded(tasks, limit) {
  const results = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

/**
 * The soak; returns its figures.
 * @param {{creates?: number, cycles?: number, seed?: number, concurrency?: number}} [options]
 */
export async function soak({ creates = 200, cycles = 3, seed = 14, concurrency = 16 } = {}) {
  const figures = {
    creates,
    operations: 0,
    lockUnlockOperations: 0,
    unconfirmedCreates: 0,
    ensuredFound: 0,
    ensuredCreated: 0,
    surfaced: {},
    untyped: [],
    duplicates: 0,
    missing: 0,
    wrongStates: [],
    stats: null,
    wallS: 0,
  }
  const surfaced = (err) => {
    if (!(err instanceof ScalewayError)) throw err
    figures.surfaced[err.name] = (figures.surfaced[err.name] ?? 0) + 1
  }
  const guarded = (fn) => async () => {
    try {
      return await fn()
    } catch (err) {
      figures.untyped.push(`${err?.name}: ${err?.message}`)
      return null
    }
  }
  const start = performance.now()
  // The limiter answers bare gateway 429s when the client goes faster than 100/s.
  const mock = await MockServer.start({ seed, rateLimit: 100, rateLimitStyle: 'gateway' })
  try {
    const client = new Client({
      apiUrl: mock.url,
      secretKey: mock.secretKey,
      defaultOrganizationId: mock.organizationId,
      rateLimit: 200,
      maxRetries: 10,
      timeout: TIMEOUT_MS,
      createSettleTimeout: SETTLE_MS,
      totalTimeout: 120_000,
    })
    const scripted = Math.max(2, Math.floor(creates / 40))

    // Phase 1: create, and ensure after an unconfirmed create (or any error a script re-runs).
    mock.injectFaults({ seed, probabilities: CREATE_PHASE, script: scripted429s(scripted) })
    const createOrEnsure = async (i) => {
      const params = {
        email: `owner-${i}@soak.example.test`,
        organizationName: `Soak customer ${i}`,
        ownerFirstname: 'Jane',
        ownerLastname: 'Doe',
        customerId: customerId(i),
      }
      figures.operations += 1
      try {
        return (await client.createOrganization(params)).id
      } catch (err) {
        surfaced(err)
        if (err instanceof CreateUnconfirmedError) figures.unconfirmedCreates += 1
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        figures.operations += 1
        try {
          const { organization, created } = await client.ensureOrganization(params)
          if (created) figures.ensuredCreated += 1
          else figures.ensuredFound += 1
          return organization.id
        } catch (err) {
          surfaced(err)
          if (err instanceof CreateUnconfirmedError) figures.unconfirmedCreates += 1
        }
      }
      throw new Error(`customer ${i}: still not ensured after 5 attempts`)
    }
    const ids = await bounded(
      Array.from({ length: creates }, (_, i) => guarded(() => createOrEnsure(i))),
      concurrency,
    )

    // Phase 2: lock/unlock cycles, a last lock for even customers; a failed operation is done
    // again (the script wants its intended state).
    mock.injectFaults({ seed: seed + 1, probabilities: CYCLE_PHASE, script: scripted429s(scripted * cycles) })
    const cycle = async (i, id) => {
      const operations = [...Array(cycles)].flatMap(() => ['lock', 'unlock'])
      if (i % 2 === 0) operations.push('lock')
      for (const op of operations) {
        for (let attempt = 0; attempt < 3; attempt++) {
          figures.operations += 1
          figures.lockUnlockOperations += 1
          try {
            await (op === 'lock' ? client.lockOrganization(id) : client.unlockOrganization(id))
            break
          } catch (err) {
            surfaced(err)
          }
        }
      }
    }
    await bounded(
      ids.flatMap((id, i) => (id === null ? [] : [guarded(() => cycle(i, id))])),
      concurrency,
    )
    mock.clearFaults()
    figures.stats = mock.stats()
    checkState(await emulatorState(mock), ids, figures)
  } finally {
    await mock.close()
  }
  figures.wallS = (performance.now() - start) / 1000
  return figures
}

/** Every organization as the emulator holds it (its control endpoint, not the API). */
async function emulatorState(mock) {
  const answer = await fetch(`${mock.url}/_mock/organizations`)
  return (await answer.json()).organizations
}

/** One organization per customer ID, each in its intended lock state. */
function checkState(state, ids, figures) {
  const byCustomer = new Map()
  for (const org of state) byCustomer.set(org.customer_id, [...(byCustomer.get(org.customer_id) ?? []), org])
  for (const orgs of byCustomer.values()) figures.duplicates += orgs.length - 1
  ids.forEach((id, i) => {
    const orgs = byCustomer.get(customerId(i)) ?? []
    if (orgs.length === 0 || id === null) {
      figures.missing += 1
      return
    }
    // The emulator's lock stack: Scaleway's validate_email lock, and the partner's on top.
    const want = [['scaleway', 'validate_email'], ...(i % 2 === 0 ? [['partner', 'locked_by_reseller']] : [])]
    const got = orgs[0].locks.map((lock) => [lock.by, lock.reason])
    if (orgs[0].id !== id || JSON.stringify(got) !== JSON.stringify(want)) {
      figures.wrongStates.push(`customer ${i}: ${orgs[0].id} is ${got}, intended ${want} for ${id}`)
    }
  })
}

/** The figures, one line each. */
export function lines(f) {
  const s = f.stats
  const surfaced = Object.keys(f.surfaced).length ? JSON.stringify(f.surfaced) : 0
  return [
    `creations: ${f.creates} (distinct customer IDs), lock/unlock operations: ${f.lockUnlockOperations}`,
    `requests: ${s.requests}, faults injected: ${s.faultsInjected}, 429s: ${s.byStatus['429'] ?? 0} (${s.rateLimited} bare, the rest JSON), late writes landed: ${s.lateApplied}`,
    `answers by status: ${JSON.stringify(s.byStatus)}`,
    `retries and lookups (requests beyond one per operation): ${s.requests - f.operations}`,
    `unconfirmed creates: ${f.unconfirmedCreates} (then ensureOrganization: ${f.ensuredFound} found, ${f.ensuredCreated} created)`,
    `errors surfaced to the caller: ${surfaced}, not a ScalewayError: ${f.untyped.length}`,
    `duplicates: ${f.duplicates}, missing: ${f.missing}, wrong lock states: ${f.wrongStates.length}`,
    `wall time: ${f.wallS.toFixed(1)} s`,
  ]
}

async function main() {
  const { values } = parseArgs({
    options: {
      creates: { type: 'string', default: '200' },
      cycles: { type: 'string', default: '3' },
      seed: { type: 'string', default: '14' },
      concurrency: { type: 'string', default: '16' },
    },
  })
  const options = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]))
  const figures = await soak(options)
  console.log(`node soak (seed ${options.seed}):`)
  for (const line of lines(figures)) console.log(`  ${line}`)
  for (const problem of [...figures.wrongStates, ...figures.untyped]) console.log(`  PROBLEM ${problem}`)
  const unexpected = Object.entries(figures.surfaced).filter(([k]) => k !== 'CreateUnconfirmedError').length
  const broken = figures.duplicates || figures.missing || figures.wrongStates.length || figures.untyped.length || unexpected
  return broken ? 1 : 0
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main()
