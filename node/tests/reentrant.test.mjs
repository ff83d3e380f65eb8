// User code that calls the client from inside the client, or is asynchronous (issue 24, item 4):
// an async hook or onProgress follows the rule of a synchronous one. A rejection the package
// left unhandled would end this test file's process (Node's default), failing it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startMock, clientOf, orgParams, waitFor } from './helpers.mjs'

let mock
let ids
before(async () => {
  mock = await startMock()
  const client = clientOf(mock)
  ids = []
  for (let i = 0; i < 4; i++) ids.push((await client.createOrganization(orgParams())).id)
})
after(() => mock.close())

test('an async hook that rejects becomes a process warning, like one that throws', async () => {
  const warnings = []
  const onWarning = (w) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    const client = clientOf(mock, {
      hook: async () => {
        await null
        throw new Error('async boom')
      },
    })
    assert.equal((await client.getOrganization(ids[0])).id, ids[0])
    await waitFor(() => warnings.length > 0, 'a warning')
    assert.equal(warnings[0].name, 'ScalewayPartnerHookWarning')
    assert.equal(warnings[0].cause.message, 'async boom')
  } finally {
    process.off('warning', onWarning)
  }
})

test('a hook may call the client; its own call and the nested one both end', async () => {
  const nested = []
  const client = clientOf(mock, {
    hook: (event) => {
      if (event.event === 'response' && nested.length === 0) nested.push(client.getOrganization(ids[1]))
    },
  })
  assert.equal((await client.getOrganization(ids[0])).id, ids[0])
  await waitFor(() => nested.length > 0, 'the nested call')
  assert.equal((await nested[0]).id, ids[1])
})

test('an async onProgress that rejects stops the call, which rejects with that exception', async () => {
  const client = clientOf(mock)
  const stop = new Error('stop here')
  const seen = []
  await assert.rejects(
    client.getOrganizations(ids, {
      concurrency: 1,
      onProgress: async (p) => {
        seen.push(p.done)
        await null
        throw stop
      },
    }),
    (err) => err === stop,
  )
  // Awaited before anything new started: the first report stopped the work.
  assert.deepEqual(seen, [1])
})

test('the work waits for an async onProgress, which may call the client', async () => {
  const client = clientOf(mock)
  let running = false
  const overlaps = []
  const nested = []
  const results = await client.getOrganizations(ids, {
    concurrency: 1,
    onProgress: async ({ done }) => {
      overlaps.push(running)
      running = true
      nested.push((await client.getOrganization(ids[done % ids.length])).id)
      running = false
    },
  })
  assert.equal(results.length, ids.length)
  assert.equal(nested.length, ids.length)
  assert.deepEqual(overlaps, ids.map(() => false))
})

test('an async onProgress of a listing: its rejection is the outcome of all()', async () => {
  const client = clientOf(mock)
  const stop = new Error('listing stopped')
  await assert.rejects(
    client.listOrganizations({ pageSize: 2 }).all({
      onProgress: async () => {
        throw stop
      },
    }),
    (err) => err === stop,
  )
})
