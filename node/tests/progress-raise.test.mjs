// What onProgress throws (or its promise rejects with) is what the call rejects with: that very
// value, not a copy nor a wrapper (the core carries it back), for every call that reports progress.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startMock, clientOf, orgParams } from './helpers.mjs'

let mock
let client
let ids
before(async () => {
  mock = await startMock({ seed: 3, seedOrganizations: 250 })
  client = clientOf(mock)
  ids = []
  for (let i = 0; i < 3; i++) ids.push((await client.createOrganization(orgParams())).id)
})
after(() => mock.close())

let records = 0
const record = (n = records++) => ({
  customer_id: `raise-${n}`,
  email: `owner${n}@raise.test`,
  organization_name: `Customer ${n}`,
  owner_firstname: 'Jane',
  owner_lastname: 'Doe',
})

const CALLS = {
  listing: (onProgress) => client.listOrganizations({ pageSize: 100 }).all({ concurrency: 1, onProgress }),
  bulk: (onProgress) => client.getOrganizations(ids, { concurrency: 1, onProgress }),
  audit: (onProgress) => client.audit({ onProgress }),
  apply: async (onProgress) => client.apply(await client.plan([record(), record()]), { concurrency: 1, onProgress }),
}

// An Error, and a value that is not one (JS may throw anything).
const RAISED = { error: () => new Error('stop here'), object: () => ({ stop: 'here' }) }

for (const [call, run] of Object.entries(CALLS)) {
  for (const [what, make] of Object.entries(RAISED)) {
    for (const flavor of ['throws', 'rejects']) {
      test(`${call}: an onProgress that ${flavor} (${what}) rejects the call with that very value`, async () => {
        const stop = make()
        let calls = 0
        const onProgress =
          flavor === 'throws'
            ? () => {
                calls++
                throw stop
              }
            : async () => {
                calls++
                await null
                throw stop
              }
        await assert.rejects(run(onProgress), (err) => err === stop)
        // The first report stopped the call: never called again.
        assert.equal(calls, 1)
      })
    }
  }
}
