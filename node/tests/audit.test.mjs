// client.audit(): the core's report as plain objects, checked against a listing of the same
// seeded book; progress, options and errors; the diff of two audits around real changes.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import {
  diffAudits,
  RequestCancelledError,
  DeniedAuthenticationError,
  ValidationError,
} from 'scaleway_partner'
import { createRequire } from 'node:module'
import { mockAndClient, startMock, clientOf, orgParams } from './helpers.mjs'

const native = createRequire(import.meta.url)('../lib/binding.js')

const SEEDED = 1500
const DAY_MS = 86_400_000

const { mock, client } = await mockAndClient({ seedOrganizations: SEEDED })
let listed // the book as a listing sees it, after the patches below
let suspendedId
let blankCustomerId
let report
let reports // onProgress calls of the audit in `report`

before(async () => {
  const first = await client.listOrganizations({ pageSize: 2 }).page(1)
  ;[suspendedId, blankCustomerId] = first.organizations.map((o) => o.id)
  // Values the API may send: a status this client does not know, an empty customer ID.
  assert.ok(mock.patchRaw(suspendedId, { set: { status: 'suspended' } }))
  assert.ok(mock.patchRaw(blankCustomerId, { set: { customer_id: '' } }))
  listed = await client.listOrganizations({ pageSize: 100 }).all()
  reports = []
  mock.resetStats()
  report = await client.audit({ onProgress: (p) => reports.push(p) })
})

const REPORT_KEYS = [
  'byLockReason',
  'byLockedBy',
  'byStatus',
  'closed',
  'createdPerMonth',
  'emptyCustomerId',
  'generatedAt',
  'lockedByPartner',
  'missingPhoneNumber',
  'organizations',
  'sharedCustomerIds',
  'sharedEmails',
  'stuckAfterDays',
  'stuckInEmailValidation',
  'total',
  'unknownValues',
  'version',
]
const FINDING_KEYS = [
  'createdAt',
  'customerId',
  'days',
  'email',
  'id',
  'lockReasonMessage',
  'lockedAt',
  'lockedBy',
  'name',
  'status',
]
const FINDING_LISTS = ['stuckInEmailValidation', 'lockedByPartner', 'emptyCustomerId', 'missingPhoneNumber', 'closed']

function tally(values) {
  const out = {}
  for (const v of values) out[v] = (out[v] ?? 0) + 1
  return out
}

const sorted = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : 1)))
const ids = (list) => list.map((f) => f.id).sort()

// Closed organizations are set apart: in no problem list.
const open = (list) => list.filter((o) => o.status !== 'closed')

/** Values used by several organizations that are not closed: value -> sorted IDs. */
function sharedOf(key) {
  const groups = {}
  for (const o of open(listed)) {
    const k = key(o)
    if (k) (groups[k] ??= []).push(o.id)
  }
  return Object.fromEntries(
    Object.entries(groups)
      .filter(([, v]) => v.length > 1)
      .map(([k, v]) => [k, v.sort()]),
  )
}

test('the report has the documented shape: camelCase keys, Dates, plain objects', () => {
  assert.deepEqual(Object.keys(report).sort(), REPORT_KEYS)
  assert.ok(report.generatedAt instanceof Date)
  assert.ok(Math.abs(Date.now() - report.generatedAt.getTime()) < 60_000)
  assert.equal(report.stuckAfterDays, 7, 'the core default')
  for (const key of ['byStatus', 'byLockedBy', 'byLockReason', 'createdPerMonth']) {
    assert.equal(Object.getPrototypeOf(report[key]), Object.prototype, key)
  }
  for (const key of FINDING_LISTS) {
    assert.ok(Array.isArray(report[key]), key)
    assert.ok(report[key].length > 0, `${key} has findings in the seeded book`)
    for (const f of report[key]) {
      assert.deepEqual(Object.keys(f).sort(), FINDING_KEYS, key)
      assert.ok(f.createdAt instanceof Date, key)
      assert.ok(f.lockedAt === null || f.lockedAt instanceof Date, key)
    }
  }
  for (const s of [...report.sharedCustomerIds, ...report.sharedEmails]) {
    assert.deepEqual(Object.keys(s).sort(), ['organizationIds', 'organizations', 'value'])
    assert.deepEqual(s.organizations.map((m) => m.id), s.organizationIds)
    for (const m of s.organizations) {
      assert.deepEqual(Object.keys(m).sort(), ['customerId', 'email', 'id', 'name', 'status'])
    }
  }
  assert.equal(report.version, 1)
  assert.equal(typeof report.diff, 'function', 'report.diff(previous), not enumerable')
})

test('totals and counts agree with a listing of the same book', () => {
  assert.equal(report.total, SEEDED)
  assert.equal(listed.length, SEEDED)
  assert.equal(report.organizations.length, SEEDED)
  assert.deepEqual(ids(report.organizations), ids(listed))
  assert.deepEqual(report.organizations.find((o) => o.id === suspendedId), listed.find((o) => o.id === suspendedId))
  assert.deepEqual(report.byStatus, sorted(tally(listed.map((o) => o.status))))
  const locked = listed.filter((o) => o.lockedBy !== 'unknown_locked_by')
  assert.deepEqual(report.byLockedBy, sorted(tally(locked.map((o) => o.lockedBy))))
  assert.deepEqual(
    report.byLockReason,
    sorted(tally(listed.filter((o) => o.lockReasonMessage !== null).map((o) => o.lockReasonMessage))),
  )
  // Per month, every month from the first to the last, in order, summing to the total.
  const months = Object.keys(report.createdPerMonth)
  assert.deepEqual(months, [...months].sort())
  const perMonth = tally(listed.map((o) => o.createdAt.toISOString().slice(0, 7)))
  for (const [month, n] of Object.entries(report.createdPerMonth)) assert.equal(n, perMonth[month] ?? 0, month)
  assert.equal(Object.keys(perMonth).filter((m) => !(m in report.createdPerMonth)).length, 0)
  assert.equal(Object.values(report.createdPerMonth).reduce((a, b) => a + b, 0), SEEDED)
  for (let i = 1; i < months.length; i++) {
    const [y, m] = months[i - 1].split('-').map(Number)
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
    assert.equal(months[i], next, 'no month is skipped')
  }
})

test('each finding lists exactly the organizations it is about', () => {
  const now = report.generatedAt.getTime()
  const waiting = listed.filter(
    (o) =>
      o.lockedBy === 'scaleway' &&
      o.lockReasonMessage === 'validate_email' &&
      now - (o.lockedAt ?? o.createdAt).getTime() > report.stuckAfterDays * DAY_MS,
  )
  assert.deepEqual(ids(report.stuckInEmailValidation), ids(waiting))
  assert.deepEqual(ids(report.lockedByPartner), ids(listed.filter((o) => o.lockedBy === 'partner')))
  assert.deepEqual(ids(report.emptyCustomerId), ids(open(listed).filter((o) => o.customerId.trim() === '')))
  assert.ok(report.emptyCustomerId.some((f) => f.id === blankCustomerId))
  assert.deepEqual(ids(report.missingPhoneNumber), ids(open(listed).filter((o) => o.phoneNumber === null)))
  assert.deepEqual(ids(report.closed), ids(listed.filter((o) => o.status === 'closed')))
  assert.ok(report.closed.length > 0)
  // Ages in days, longest first, for the findings that have one.
  for (const key of ['stuckInEmailValidation', 'lockedByPartner']) {
    const days = report[key].map((f) => f.days)
    assert.ok(days.every((d) => typeof d === 'number' && d >= 0), key)
    assert.deepEqual(days, [...days].sort((a, b) => b - a), key)
  }
  for (const f of report.lockedByPartner) {
    assert.ok(Math.abs(f.days - (now - f.lockedAt.getTime()) / DAY_MS) < 2 / 86_400, f.id)
  }
  assert.ok(report.missingPhoneNumber.every((f) => f.days === null))
})

test('shared customer IDs and emails (case-insensitive) agree with the listing', () => {
  const asMap = (list) => Object.fromEntries(list.map((s) => [s.value, [...s.organizationIds].sort()]))
  assert.deepEqual(asMap(report.sharedCustomerIds), sharedOf((o) => o.customerId.trim() && o.customerId))
  assert.deepEqual(asMap(report.sharedEmails), sharedOf((o) => o.email.toLowerCase()))
  const sizes = report.sharedEmails.map((s) => s.organizationIds.length)
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'most shared first')
})

test('a status this client does not know shows up in unknownValues', () => {
  assert.deepEqual(
    report.unknownValues.find((u) => u.field === 'status'),
    { field: 'status', value: 'suspended', count: 1 },
  )
  for (const u of report.unknownValues) {
    assert.deepEqual(Object.keys(u).sort(), ['count', 'field', 'value'])
    const key = { status: 'status', locked_by: 'lockedBy', lock_reason_message: 'lockReasonMessage' }[u.field]
    assert.ok(key, `unexpected field ${u.field}`)
    assert.equal(u.count, listed.filter((o) => o[key] === u.value).length, `${u.field}=${u.value}`)
  }
})

test('onProgress reports the listing to done === total before the promise resolves', () => {
  assert.ok(reports.length >= 2, `${reports.length} reports`)
  assert.deepEqual(reports.at(-1), { done: SEEDED, total: SEEDED })
  for (let i = 1; i < reports.length; i++) assert.ok(reports[i].done >= reports[i - 1].done)
  // The audit is one paged listing: nothing but list requests.
  const used = Object.entries(mock.stats().byOperation).filter(([, n]) => n > 0)
  assert.deepEqual(used.map(([op]) => op), ['list_organizations'])
})

test('stuckAfterDays sets the threshold of stuckInEmailValidation', async () => {
  const never = await client.audit({ stuckAfterDays: 1_000_000 })
  assert.equal(never.stuckAfterDays, 1_000_000)
  assert.deepEqual(never.stuckInEmailValidation, [])
  const any = await client.audit({ stuckAfterDays: 0 })
  assert.ok(any.stuckInEmailValidation.length >= report.stuckInEmailValidation.length)
  assert.equal(
    any.stuckInEmailValidation.length,
    listed.filter((o) => o.lockReasonMessage === 'validate_email' && o.lockedBy === 'scaleway').length,
  )
})

test('bad options: ValidationError for numbers out of range, TypeError for wrong types; nothing sent', async () => {
  mock.resetStats()
  await assert.rejects(
    client.audit({ stuckAfterDays: -1 }),
    (err) => err instanceof ValidationError && err.field === 'stuckAfterDays',
  )
  await assert.rejects(client.audit({ stuckAfterDays: 1.5 }), ValidationError)
  await assert.rejects(client.audit({ stuckAfterDays: '7' }), TypeError)
  await assert.rejects(client.audit({ onProgress: 'yes' }), TypeError)
  await assert.rejects(client.audit('7'), TypeError)
  await assert.rejects(client.audit({}, { maxRetries: -1 }), ValidationError)
  await assert.rejects(client.audit({}, { signal: AbortSignal.abort() }), RequestCancelledError)
  assert.equal(mock.stats().requests, 0)
})

test('an exception of onProgress rejects the audit once it is over', async () => {
  const boom = new Error('progress bar broke')
  await assert.rejects(
    client.audit({
      onProgress: () => {
        throw boom
      },
    }),
    (err) => err === boom,
  )
})

test('API errors reject the audit with their class', async () => {
  const stranger = clientOf(mock, { secretKey: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' })
  await assert.rejects(stranger.audit(), DeniedAuthenticationError)
})

test('an empty book gives an empty report', async () => {
  const empty = await startMock()
  try {
    const r = await clientOf(empty).audit()
    assert.equal(r.total, 0)
    assert.deepEqual(r.organizations, [])
    assert.deepEqual(r.byStatus, {})
    assert.deepEqual(r.createdPerMonth, {})
    for (const key of FINDING_LISTS) assert.deepEqual(r[key], [])
  } finally {
    await empty.close()
  }
})

const state = (o) => [o.status, o.lockedBy, o.lockReasonMessage]
const byId = (list) => new Map(list.map((o) => [o.id, o]))
const sortedIds = (list) => list.map((f) => f.id).sort()

/** Runs `f` with the addon's `owner[name]` watched: its arguments and results. */
async function watching(owner, name, f) {
  const original = owner[name]
  const calls = []
  owner[name] = function (...args) {
    const result = original.apply(this, args)
    calls.push({ args, result })
    return result
  }
  try {
    await f()
  } finally {
    owner[name] = original
  }
  return Promise.all(calls.map(async (c) => ({ args: c.args, result: await c.result })))
}

test('reports and diffs cross the addon as values, not JSON text: the addon makes the Dates', async () => {
  const [audit] = await watching(native.NativeClient.prototype, 'audit', () => client.audit())
  assert.equal(typeof audit.result, 'object', 'not text')
  assert.ok(audit.result.generatedAt instanceof Date, 'a Date from the addon')
  assert.ok(audit.result.stuckInEmailValidation[0].createdAt instanceof Date)
  assert.deepEqual(Object.keys(audit.result).sort(), REPORT_KEYS, 'every field, camelCased by the addon')
  const [diff] = await watching(native, 'diffAudits', () => report.diff(report))
  assert.ok(diff.args.every((a) => typeof a === 'object'), 'reports go back as objects')
  assert.ok(diff.result.generatedAt instanceof Date)
  const [plan] = await watching(native, 'planLocks', () => report.planLock([report.organizations[0].id]))
  assert.equal(typeof plan.args[0], 'object')
})

test('report.diff(previous) tells exactly what changed: created, locked, unlocked, validated', async () => {
  const book = await startMock({ seed: 17, seedOrganizations: 300 })
  try {
    const c = clientOf(book)
    const earlier = await c.audit()
    const before = byId(earlier.organizations)
    const opened = earlier.organizations.filter((o) => o.status === 'opened')
    const partner = earlier.organizations.filter((o) => o.lockedBy === 'partner')
    const waiting = earlier.organizations.filter(
      (o) => o.lockedBy === 'scaleway' && o.lockReasonMessage === 'validate_email',
    )
    const donor = opened[0]
    const created = [
      (await c.createOrganization(orgParams())).id,
      (await c.createOrganization(orgParams({ email: donor.email, customerId: donor.customerId }))).id,
    ]
    const locked = opened.slice(1, 4).map((o) => o.id)
    await c.lockOrganizations(locked)
    const unlocked = partner.slice(0, 6).map((o) => o.id)
    await c.unlockOrganizations(unlocked)
    const validated = waiting.slice(0, 3).map((o) => o.id)
    for (const id of validated) assert.ok(book.validateEmail(id))

    const later = await c.audit()
    const after = byId(later.organizations)
    const diff = later.diff(earlier)
    assert.deepEqual(diff, diffAudits(later, earlier), 'the same function')

    assert.deepEqual(sortedIds(diff.newOrganizations), [...created].sort(), 'listing order: ties may swap')
    assert.deepEqual(diff.removedOrganizations, [])
    assert.deepEqual([diff.previousTotal, diff.total], [300, 302])
    assert.deepEqual(sortedIds(diff.newPartnerLocks), [...locked].sort())
    assert.deepEqual(sortedIds(diff.liftedPartnerLocks), [...unlocked].sort())
    for (const f of diff.liftedPartnerLocks) {
      assert.deepEqual([f.status, f.lockedBy], state(after.get(f.id)).slice(0, 2), 'as it is now')
    }
    assert.ok(diff.liftedPartnerLocks.some((f) => f.lockedBy === 'scaleway'), 'still locked by Scaleway')
    const stuck = (r) => new Set(r.stuckInEmailValidation.map((f) => f.id))
    const [stuckBefore, stuckAfter] = [stuck(earlier), stuck(later)]
    const newly = [...stuckAfter].filter((id) => !stuckBefore.has(id)).sort()
    assert.deepEqual(sortedIds(diff.newlyStuck), newly)
    assert.ok(newly.every((id) => unlocked.includes(id)), 'newly stuck: a partner lock lifted over it')
    const expected = [...locked, ...unlocked, ...validated].sort()
    assert.deepEqual(diff.statusChanges.map((c) => c.id).sort(), expected)
    for (const ch of diff.statusChanges) {
      assert.deepEqual([ch.previousStatus, ch.previousLockedBy, ch.previousLockReasonMessage], state(before.get(ch.id)))
      assert.deepEqual([ch.status, ch.lockedBy, ch.lockReasonMessage], state(after.get(ch.id)))
    }
    assert.deepEqual(diff.newSharedCustomerIds.map((s) => s.value), [donor.customerId])
    assert.deepEqual(diff.newSharedEmails.map((s) => s.value), [donor.email.toLowerCase()])
    assert.ok(diff.newSharedEmails[0].organizationIds.includes(created[1]))
    assert.ok(diff.generatedAt instanceof Date && diff.previousGeneratedAt instanceof Date)

    const none = later.diff(later)
    for (const key of Object.keys(none).filter((k) => Array.isArray(none[k]))) assert.deepEqual(none[key], [], key)
    assert.throws(() => later.diff({}), TypeError)
    assert.throws(() => diffAudits(null, later), TypeError)
  } finally {
    await book.close()
  }
})

test('report.planLock/planUnlock preview a bulk change with no request, and apply changes exactly those', async () => {
  const book = await startMock({ seed: 17, seedOrganizations: 300 })
  try {
    const c = clientOf(book)
    const audited = await c.audit()
    const wire = async () => new Map((await c.listOrganizations().all()).map((o) => [o.id, JSON.stringify(o)]))
    const changed = (before, after) => [...before.keys()].filter((id) => before.get(id) !== after.get(id)).sort()
    const partner = audited.lockedByPartner.slice(0, 4)
    const opened = audited.organizations.filter((o) => o.status === 'opened').slice(0, 3)
    const closed = audited.closed.slice(0, 2)
    for (const [preview, expected] of [
      [(picked) => audited.planLock(picked), opened],
      [(picked) => audited.planUnlock(picked), partner],
    ]) {
      const before = await wire()
      book.resetStats()
      // Rows the change leaves alone are mixed in, and one row is picked twice.
      const plan = preview([...partner, ...opened, ...closed, opened[0].id])
      assert.equal(book.stats().requests, 0, 'the preview sends nothing')
      assert.deepEqual(plan.actions.map((a) => a.organization_id).sort(), expected.map((o) => o.id).sort())
      const outcome = await c.apply(plan)
      assert.equal(outcome.interrupted, null)
      assert.deepEqual(changed(before, await wire()), expected.map((o) => o.id).sort())
    }
    assert.throws(() => audited.planLock(['6f4049e3-5910-4283-bb02-382ef15aa460']), (err) => {
      assert.ok(err instanceof ValidationError, err.message)
      return err.field === 'selection'
    })
  } finally {
    await book.close()
  }
})

test('reports go back to the addon as they are: no JS copy respells their keys', async () => {
  const previous = structuredClone(report)
  const [diff] = await watching(native, 'diffAudits', () => report.diff(previous))
  assert.equal(diff.args[0], report, 'the report itself, not a respelt copy')
  assert.equal(diff.args[1], previous)
  const [plan] = await watching(native, 'planLocks', () => report.planLock([report.organizations[0].id]))
  assert.equal(plan.args[0], report)
})

test('a report read back by the core is the report: fields matched back, data keys kept', () => {
  // Count-map keys spelt like the report's fields and data keys in an organization's `extra`
  // are data: the core reads them as they are, and the rest of the report exactly.
  const previous = structuredClone(report)
  previous.byLockReason = { ...previous.byLockReason, lockedBy: 1, stuck_after_days: 2, total: 3 }
  previous.createdPerMonth = { ...previous.createdPerMonth, customerId: 4 }
  const [org] = open(previous.organizations)
  org.extra = { lockedBy: 'x', nested: { customerId: [1, { organizationIds: null }] } }
  org.status = 'locked'
  org.lockedBy = 'partner'
  org.lockReasonMessage = 'lockedByReseller'
  const diff = report.diff(previous)
  assert.deepEqual(diff, diffAudits(report, structuredClone(previous)), 'read the same way twice')
  assert.deepEqual(
    diff.statusChanges.map((c) => [c.id, c.previousStatus, c.previousLockedBy, c.previousLockReasonMessage]),
    [[org.id, 'locked', 'partner', 'lockedByReseller']],
    'the one organization changed, as it was written',
  )
  assert.equal(diff.previousGeneratedAt.getTime(), report.generatedAt.getTime(), 'a Date read back')
  assert.equal(diff.previousTotal, report.total)
  // A clone has no methods: the addon's entry that report.planLock/planUnlock call.
  const plan = (lock) => JSON.parse(native.planLocks(previous, [org.id], lock))
  assert.deepEqual(plan(true).actions, [], 'a partner-locked organization needs no lock')
  assert.deepEqual(
    plan(false).actions.map((a) => [a.organization_id, a.seen.owner_firstname, a.seen.locked_by_partner]),
    [[org.id, org.ownerFirstname, true]],
  )
  for (const [bad, field] of [
    [{ ...report, version: 2 }, 'version'],
    [{ organizations: [] }, 'version'],
    [{ ...report, total: 'many' }, 'report'],
  ]) {
    assert.throws(() => diffAudits(bad, report), (err) => err instanceof ValidationError && err.field === field)
  }
})
