// listOrganizations: lazy async iteration, pages, page(n) with totalCount, all(), filters, edges.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { OrganizationList, ValidationError, RequestCancelledError } from 'scaleway_partner'
import { mockAndClient, startMock, clientOf, orgParams } from './helpers.mjs'

const SEEDED = 23
const { mock, client } = await mockAndClient({ seedOrganizations: SEEDED })

test('nothing is fetched until the listing is used', async () => {
  mock.resetStats()
  const list = client.listOrganizations({ pageSize: 5 })
  assert.ok(list instanceof OrganizationList)
  assert.equal(typeof list[Symbol.asyncIterator], 'function')
  assert.equal(mock.stats().requests, 0)
  // A whole call of another listing later, the first one still sent nothing.
  await client.listOrganizations({ pageSize: 1 }).page(1)
  assert.equal(mock.stats().byOperation.list_organizations, 1)
})

/** The organizations each page of a listing of `pageSize` brings, as its cursor reads them (pages
 * after the first overlap the previous one and bring up to twice the page size). */
async function pagesBringing(pageSize) {
  const brought = []
  for await (const page of client.listOrganizations({ pageSize }).pages()) brought.push(page.organizations.length)
  return brought
}

/** How many of the pages bringing `brought` hold the first `k` organizations. */
function pagesHolding(brought, k) {
  let pages = 0
  for (let held = 0; held < k; pages++) held += brought[pages]
  return pages
}

test('for await walks every organization, one page request at a time without read-ahead', async () => {
  const brought = await pagesBringing(5)
  // pageConcurrency 1: the cursor reads no page ahead.
  const oneByOne = clientOf(mock, { pageConcurrency: 1 })
  mock.resetStats()
  const seen = []
  for await (const org of oneByOne.listOrganizations({ pageSize: 5 })) {
    seen.push(org)
    // Lazy: after k organizations, exactly the pages holding them have been asked for.
    assert.equal(
      mock.stats().byOperation.list_organizations,
      pagesHolding(brought, seen.length),
      `after ${seen.length} of pages bringing ${brought}`,
    )
  }
  assert.equal(mock.stats().byOperation.list_organizations, brought.length)
  assert.equal(seen.length, SEEDED)
  assert.equal(new Set(seen.map((o) => o.id)).size, SEEDED)
  assert.ok(seen.every((o) => o.createdAt instanceof Date))
  // Oldest first by default.
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].createdAt <= seen[i].createdAt)
})

test('with read-ahead, for await asks the pages holding what it yielded and at most pageConcurrency - 1 more', async () => {
  const brought = await pagesBringing(5)
  const readAhead = 2
  const ahead = clientOf(mock, { pageConcurrency: readAhead + 1 })
  mock.resetStats()
  const seen = []
  for await (const org of ahead.listOrganizations({ pageSize: 5 })) {
    seen.push(org)
    // A page asked ahead may still be on its way to the emulator: bounded, not counted. The
    // pages asked are those the cursor reads (no other), so never more than the listing has.
    const holding = pagesHolding(brought, seen.length)
    const asked = mock.stats().byOperation.list_organizations
    assert.ok(
      asked >= holding && asked <= Math.min(holding + readAhead, brought.length),
      `${asked} pages asked after ${seen.length} of pages bringing ${brought}`,
    )
  }
  // No page more than without read-ahead when nothing changes.
  assert.equal(mock.stats().byOperation.list_organizations, brought.length)
  assert.equal(seen.length, SEEDED)
  assert.equal(new Set(seen.map((o) => o.id)).size, SEEDED)
})

test('breaking out of the loop stops fetching', async () => {
  for (const [pageConcurrency, readAhead] of [
    [1, 0],
    [3, 2],
  ]) {
    const c = clientOf(mock, { pageConcurrency })
    mock.resetStats()
    let n = 0
    for await (const _org of c.listOrganizations({ pageSize: 5 })) {
      if (++n === 7) break
    }
    // Two pages read; with read-ahead, up to that many more were on their way when the loop
    // stopped. One more call of ours lets whatever the dropped cursor sent arrive first.
    await c.listOrganizations({ pageSize: 1 }).page(1)
    const asked = mock.stats().byOperation.list_organizations - 1
    assert.ok(asked >= 2 && asked <= 2 + readAhead, `${asked} pages asked, read-ahead ${readAhead}`)
    if (readAhead === 0) assert.equal(asked, 2)
  }
})

test('pages() yields the pages with their totals; the iterable can be walked again', async () => {
  const list = client.listOrganizations({ pageSize: 10, orderBy: 'created_at_desc' })
  for (let round = 0; round < 2; round++) {
    const pages = []
    for await (const page of list.pages()) pages.push(page)
    assert.deepEqual(
      pages.map((p) => [p.page, p.pageSize, p.organizations.length, p.totalCount]),
      // Each page after the first overlaps the previous one (what proves that nothing slipped
      // between them) and carries only the organizations not yielded yet.
      [
        [1, 10, 10, SEEDED],
        [1, 20, 10, SEEDED],
        [2, 18, 3, SEEDED],
      ],
    )
  }
})

test('page(n) gives one page with totalCount; past the end it is empty', async () => {
  const list = client.listOrganizations({ pageSize: 4 })
  const second = await list.page(2)
  assert.deepEqual(Object.keys(second).sort(), ['organizations', 'page', 'pageSize', 'totalCount', 'undecodable'])
  assert.deepEqual(second.undecodable, [])
  assert.equal(second.page, 2)
  assert.equal(second.pageSize, 4)
  assert.equal(second.totalCount, SEEDED)
  assert.equal(second.organizations.length, 4)
  const past = await list.page(100)
  assert.deepEqual(past.organizations, [])
  assert.equal(past.totalCount, SEEDED)
  await assert.rejects(list.page(0), (err) => err instanceof ValidationError && err.field === 'page')
  await assert.rejects(list.page(-1), ValidationError)
  await assert.rejects(list.page('2'), TypeError)
})

test('all() collects everything with bounded concurrency and reports progress', async () => {
  const reports = []
  const all = await client
    .listOrganizations({ pageSize: 3 })
    .all({ concurrency: 3, onProgress: (p) => reports.push(p) })
  assert.equal(all.length, SEEDED)
  const iterated = []
  for await (const org of client.listOrganizations({ pageSize: 3 })) iterated.push(org.id)
  assert.deepEqual(
    all.map((o) => o.id),
    iterated,
  )
  // Every report arrived before the promise settled, the last one complete.
  assert.ok(reports.length >= 2)
  assert.deepEqual(reports.at(-1), { done: SEEDED, total: SEEDED })
  for (let i = 1; i < reports.length; i++) assert.ok(reports[i].done >= reports[i - 1].done)
})

test('an exception of onProgress rejects all() once it is over', async () => {
  const boom = new Error('progress bar broke')
  await assert.rejects(
    client.listOrganizations({ pageSize: 10 }).all({
      onProgress: () => {
        throw boom
      },
    }),
    (err) => err === boom,
  )
})

test('filters: status, lockedBy, email, customerId, combined', async () => {
  const a = await client.createOrganization(orgParams({ customerId: 'filter-target' }))
  const b = await client.createOrganization(orgParams({ customerId: 'filter-target' }))
  await client.lockOrganization(b.id)
  const ids = async (filters) => (await client.listOrganizations(filters).all()).map((o) => o.id)

  assert.deepEqual(await ids({ customerId: 'filter-target' }), [a.id, b.id])
  assert.deepEqual(await ids({ customerId: 'filter-target', lockedBy: 'partner' }), [b.id])
  assert.deepEqual(await ids({ email: a.email.toUpperCase() }), [a.id])
  assert.deepEqual(await ids({ customerId: 'filter-target', orderBy: 'created_at_desc' }), [b.id, a.id])
  const locked = await client.listOrganizations({ status: 'locked' }).all()
  assert.ok(locked.length >= 2 && locked.every((o) => o.status === 'locked'))
  // The API's zero values mean "any".
  assert.equal((await ids({ customerId: 'filter-target', status: 'unknown_status' })).length, 2)
  assert.deepEqual(await ids({ customerId: 'nobody' }), [])
})

test('an empty listing: no organizations, no error, one request', async () => {
  mock.resetStats()
  const list = client.listOrganizations({ customerId: 'no-such-customer' })
  const seen = []
  for await (const org of list) seen.push(org)
  assert.deepEqual(seen, [])
  assert.equal(mock.stats().requests, 1)
  const page = await list.page(1)
  assert.equal(page.totalCount, 0)
})

test('a page size dividing the total exactly ends without an extra empty page', async () => {
  const total = (await client.listOrganizations({ pageSize: 1 }).page(1)).totalCount
  // Find a divisor of the current total above 1 (the total is >= SEEDED).
  let size = [2, 3, 4, 5, 6, 7].find((d) => total % d === 0)
  if (size === undefined) {
    await client.createOrganization(orgParams())
    size = [2, 3, 4, 5, 6, 7].find((d) => (total + 1) % d === 0)
  }
  mock.resetStats()
  let n = 0
  for await (const _org of client.listOrganizations({ pageSize: size })) n++
  assert.equal(mock.stats().byOperation.list_organizations, n / size)
})

test('bad filters are refused at the listOrganizations call itself, nothing sent', () => {
  mock.resetStats()
  const cases = [
    [{ pageSize: 500 }, 'pageSize'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: 2.5 }, 'pageSize'],
    [{ status: 'opend' }, 'status'],
    [{ lockedBy: 'nobody' }, 'lockedBy'],
    [{ orderBy: 'name' }, 'orderBy'],
  ]
  for (const [filters, field] of cases) {
    assert.throws(() => client.listOrganizations(filters), (err) => err instanceof ValidationError && err.field === field)
  }
  assert.equal(mock.stats().requests, 0)
  assert.throws(() => client.listOrganizations({ pageSize: 'ten' }), /pageSize must be a number, got string/)
  assert.throws(() => client.listOrganizations('locked'), TypeError)
})

test('awaiting a listing gives its first page', async () => {
  const page = await client.listOrganizations({ pageSize: 3 })
  assert.equal(page.page, 1)
  assert.equal(page.organizations.length, 3)
  assert.deepEqual(page, await client.listOrganizations({ pageSize: 3 }).page(1))
})

test('.all() honours a signal given to it; typos in its options are named', async () => {
  const list = client.listOrganizations()
  mock.resetStats()
  await assert.rejects(list.all({ signal: AbortSignal.abort() }), RequestCancelledError)
  assert.equal(mock.stats().requests, 0)
  assert.equal((await list.all()).length, (await list).totalCount)
  await assert.rejects(list.all({ concurency: 2 }), /unknown key 'concurency'; did you mean 'concurrency'\?/)
})

test('unlocking while iterating the partner-locked listing leaves none locked, each seen once', async (t) => {
  // Offset pages shift as organizations leave the listing; the core's cursor notices and reads
  // the listing again for the ones it shifted past.
  const book = await startMock({ seedOrganizations: 400, seed: 11 })
  try {
    const c = clientOf(book)
    const ids = (await c.listOrganizations({ status: 'opened' }).all()).map((o) => o.id).slice(0, 200)
    assert.ok(ids.length >= 161, `only ${ids.length} opened organizations`)
    const locked = await c.lockOrganizations(ids, { concurrency: 8 })
    assert.ok(locked.every((r) => !(r instanceof Error) && r.lockedBy === 'partner'))
    const lockedBefore = (await c.listOrganizations({ lockedBy: 'partner' }).page(1)).totalCount
    assert.ok(lockedBefore >= 161)

    book.resetStats()
    const unlocked = []
    for await (const org of c.listOrganizations({ lockedBy: 'partner' })) {
      await c.unlockOrganization(org.id)
      unlocked.push(org.id)
    }
    assert.equal(unlocked.length, lockedBefore)
    assert.equal(new Set(unlocked).size, unlocked.length)
    assert.deepEqual(await c.listOrganizations({ lockedBy: 'partner' }).all(), [])
    const stats = book.stats()
    t.diagnostic(
      `${lockedBefore} partner locks lifted while iterating: ${stats.byOperation.unlock_organization} unlocks, ` +
        `${stats.byOperation.list_organizations} page requests`,
    )
  } finally {
    await book.close()
  }
})
