// The fault soak, short: benchmarks/soak.mjs (the long, documented script) with fewer
// organizations. Every fault the emulator knows, then its own state checked: no duplicate, none
// missing, each organization in its intended lock state, and only typed errors the caller can
// act on (unconfirmed creates, settled by ensureOrganization). Figures are printed, not asserted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { soak, lines } from '../../benchmarks/soak.mjs'

test('soak under every fault the emulator knows', async () => {
  const figures = await soak({ creates: 24, cycles: 2, seed: 14, concurrency: 8 })
  console.log(['node soak (short):', ...lines(figures).map((l) => `  ${l}`)].join('\n'))
  assert.ok(figures.stats.faultsInjected > 0)
  assert.ok(figures.stats.rateLimited > 0, 'bare and JSON 429s were scripted')
  assert.deepEqual(figures.untyped, [])
  assert.equal(figures.duplicates, 0)
  assert.equal(figures.missing, 0)
  assert.deepEqual(figures.wrongStates, [])
  const unexpected = Object.entries(figures.surfaced).filter(([k]) => k !== 'CreateUnconfirmedError')
  assert.deepEqual(unexpected, [], 'within the retry budget only unconfirmed creates reach the caller')
})
