// examples/crm-sync-job: the service job run as a scheduler would run it, against the emulator,
// so that it cannot rot: a first run brings the book in line with the CRM export (exit 0), a
// second has nothing to do, a run stopped by SIGTERM mid-apply exits 75 and the next resumes
// it without a duplicate, and a bad export exits 2 with nothing sent.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clientOf, startMock, waitFor } from './helpers.mjs'

const NODE_PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const JOB = join(NODE_PACKAGE, '..', 'examples', 'crm-sync-job', 'sync.mjs')

const mock = await startMock({ seedOrganizations: 30 })
after(() => mock.close())
const client = clientOf(mock)

// The job where a user puts it: its own directory, the package installed beside it.
const work = mkdtempSync(join(tmpdir(), 'crm-sync-'))
mkdirSync(join(work, 'node_modules'))
symlinkSync(NODE_PACKAGE, join(work, 'node_modules', 'scaleway_partner'), 'dir')
copyFileSync(JOB, join(work, 'sync.mjs'))
const state = join(work, 'state')

const FIELDS = ['customer_id', 'email', 'organization_name', 'owner_firstname', 'owner_lastname', 'state']
const quote = (v) => (v == null ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
function writeExport(records) {
  const path = join(work, `export-${Math.random().toString(36).slice(2, 8)}.csv`)
  const lines = [FIELDS.join(','), ...records.map((r) => FIELDS.map((f) => quote(r[f])).join(','))]
  writeFileSync(path, lines.join('\r\n') + '\r\n')
  return path
}

/** Runs the job; resolves with its exit code and its log events, `whileRunning` awaited first. */
function runJob(csv, whileRunning = async () => {}) {
  const child = spawn(process.execPath, ['sync.mjs', csv, state], {
    cwd: work,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      SCW_API_URL: mock.url,
      SCW_SECRET_KEY: mock.secretKey,
      SCW_DEFAULT_ORGANIZATION_ID: mock.organizationId,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  const events = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  const exited = new Promise((done) => child.on('exit', (code) => done(code)))
  return (async () => {
    await whileRunning(child, events)
    return { code: await exited, events: events() }
  })()
}

const only = (events, name) => events.filter((e) => e.event === name)

// The CRM's view of the book: every customer, a few renamed (one with a comma and quotes),
// some suspended, and new customers.
async function crmExport(extraNew, suspendEvery) {
  const book = await client.listOrganizations().all()
  const seen = new Set()
  const records = []
  book.forEach((o, i) => {
    if (!o.customerId || seen.has(o.customerId)) return
    seen.add(o.customerId)
    records.push({
      customer_id: o.customerId,
      email: o.email,
      organization_name: i % 7 === 0 ? `${o.name.replace(/ SAS$/, '')}, "Group" SAS` : o.name,
      owner_firstname: o.ownerFirstname,
      owner_lastname: o.ownerLastname,
      state: o.lockedBy === 'partner' || i % suspendEvery === 1 ? 'suspended' : 'active',
    })
  })
  for (const n of extraNew) {
    records.push({
      customer_id: `CRM-${n}`,
      email: `owner@${n}.example`,
      organization_name: `New ${n}`,
      owner_firstname: 'Ada',
      owner_lastname: 'Lovelace',
      state: 'active',
    })
  }
  return records
}

async function actionsLeft(records) {
  const plan = await client.plan(records)
  return plan.actions.length
}

test('the job brings the book in line, then finds nothing to do', async () => {
  const records = await crmExport(['a', 'b'], 5)
  const csv = writeExport(records)
  const first = await runJob(csv)
  assert.equal(first.code, 0, JSON.stringify(first.events))
  const [planned] = only(first.events, 'planned')
  assert.equal(planned.actions.create, 2)
  assert.ok(planned.actions.update > 0 && planned.actions.lock > 0, JSON.stringify(planned))
  const total = Object.values(planned.actions).reduce((a, b) => a + b, 0)
  const progress = only(first.events, 'apply_progress').map((e) => e.done)
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b))
  assert.equal(progress.at(-1), total)
  assert.deepEqual(only(first.events, 'apply_finished')[0].counts, { done: total })
  assert.equal(await actionsLeft(records), 0)
  const renamed = (await client.listOrganizations().all()).find((o) => o.name.includes(', "Group" SAS'))
  assert.ok(renamed, 'a quoted CSV field read whole')
  assert.ok(!existsSync(join(state, 'plan.json')), 'nothing left to resume')

  const second = await runJob(csv)
  assert.equal(second.code, 0)
  assert.equal(only(second.events, 'in_line').length, 1)
})

test('a run stopped by SIGTERM mid-apply exits 75; the next resumes it without a duplicate', async () => {
  const records = await crmExport(['c', 'd', 'e'], 3)
  const csv = writeExport(records)
  mock.injectFaults({ script: [{ fault: 'slow', delayMs: 60_000, operation: 'lock_organization' }] })
  const locks = mock.stats().byOperation.lock_organization ?? 0
  const stopped = await runJob(csv, async (child) => {
    await waitFor(() => (mock.stats().byOperation.lock_organization ?? 0) > locks, 'a lock held by the emulator')
    child.kill('SIGTERM')
  })
  mock.clearFaults()
  assert.equal(stopped.code, 75, JSON.stringify(stopped.events))
  const [interrupted] = only(stopped.events, 'apply_interrupted')
  assert.equal(interrupted.reason, 'cancelled')
  assert.ok(interrupted.counts.failed >= 1, JSON.stringify(interrupted))
  assert.ok(existsSync(join(state, 'plan.json')) && existsSync(join(state, 'apply.journal')))

  const creates = mock.stats().byOperation.create_organization
  const resumed = await runJob(csv)
  assert.equal(resumed.code, 0, JSON.stringify(resumed.events))
  assert.equal(only(resumed.events, 'resuming').length, 1)
  const counts = only(resumed.events, 'apply_finished')[0].counts
  assert.ok(counts.already_done >= 1, JSON.stringify(counts))
  assert.equal(await actionsLeft(records), 0)
  const book = await client.listOrganizations().all()
  for (const customer of ['CRM-c', 'CRM-d', 'CRM-e']) {
    assert.equal(book.filter((o) => o.customerId === customer).length, 1, customer)
  }
  assert.ok(mock.stats().byOperation.create_organization - creates <= 3)
})

test('a bad export exits 2 and sends nothing', async () => {
  const records = await crmExport([], 1000)
  records[3] = { ...records[3], email: 'not-an-email' }
  const before = mock.stats().requests
  const bad = await runJob(writeExport(records))
  assert.equal(bad.code, 2, JSON.stringify(bad.events))
  const [event] = only(bad.events, 'bad_input')
  assert.equal(event.field, 'email')
  assert.match(event.message, /row 4/)
  assert.equal(mock.stats().requests, before, 'nothing sent, not even the listing')
})
