// Odd values in every argument position: each call settles with a TypeError or one of the
// package's errors (or succeeds), and the process never crashes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, ScalewayError } from 'scaleway_partner'
import { MockServer } from 'scaleway_partner/testing'

let mock
before(async () => {
  mock = await MockServer.start({ rateLimit: 0 })
})
after(() => mock.close())

const TRAP = new Error('trap')
const ODD = [
  undefined,
  null,
  0,
  -1,
  NaN,
  Infinity,
  1e20,
  '',
  'x'.repeat(100_000),
  true,
  [],
  {},
  Symbol('s'),
  10n,
  () => 1,
  new Date(0),
  Object.create(null),
  new Proxy({}, { get: () => { throw TRAP } }),
]

test('no argument crashes the process or escapes the error classes', async () => {
  const c = mock.client({ maxRetries: 0 })
  const calls = [
    (v) => c.getOrganization(v),
    (v) => c.createOrganization(v),
    (v) => c.updateOrganization(v, v),
    (v) => c.lockOrganization(undefined, v),
    (v) => c.unlockOrganization(v, { timeout: v }),
    (v) => c.requestAdminRole(undefined, v),
    (v) => c.listOrganizations(v).all(),
    (v) => c.listOrganizations({}).page(v),
    (v) => c.listOrganizations({ pageSize: v }).pages().next(),
    (v) => c.listOrganizations({}, v).all({ concurrency: v }),
    (v) => c.getOrganizations(v),
    (v) => c.lockOrganizations([], v),
    (v) => c.unlockOrganizations([v], {}, v),
    (v) => c.getOrganization(undefined, { maxRetries: v }),
    (v) => c.getOrganization(undefined, { signal: v }),
    (v) => c.getOrganization(undefined, { totalTimeout: v }),
    (v) => c.lockOrganization(v),
    (v) => c.ensureOrganization(v),
    (v) => c.ensureOrganizations(v),
    (v) => c.ensureOrganizations([v], v),
    (v) => new Client({ secretKey: mock.secretKey, apiUrl: mock.url, totalTimeout: v, allowInsecureHttp: v }),
    (v) => new Client(v),
    (v) => new Client({ secretKey: mock.secretKey, apiUrl: mock.url, rateLimit: v }),
    (v) => mock.injectFaults(v),
    (v) => mock.patchRaw(v, v),
    (v) => mock.validateEmail(v),
  ]
  let outcomes = 0
  for (const [i, call] of calls.entries()) {
    for (const v of ODD) {
      try {
        await call(v)
      } catch (err) {
        const allowed = err instanceof TypeError || err instanceof ScalewayError || err === TRAP
        assert.ok(allowed, `call ${i} with ${typeof v}: ${err?.name}: ${err?.message}`)
      }
      outcomes++
    }
  }
  assert.equal(outcomes, calls.length * ODD.length)
})
