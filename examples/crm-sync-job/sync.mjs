#!/usr/bin/env node
// A scheduled service job: keep the Scaleway organizations in line with the CRM's export.
//
//   SCW_SECRET_KEY=... SCW_DEFAULT_ORGANIZATION_ID=... node sync.mjs customers.csv [STATE_DIR]
//
// The CSV's header names the API's fields: customer_id, email, organization_name,
// owner_firstname, owner_lastname, and optionally phone_number, siren_number, comment,
// previous_email and state (active or suspended). STATE_DIR (default ./crm-sync-state) keeps the
// plan being applied and its journal: a run stopped part-way (SIGTERM from the scheduler, the
// deadline, a crash) leaves them there, and the next run resumes that plan first, sending
// nothing twice, before it plans the export again.
//
// Logs are JSON lines on stdout. Exit statuses:
//   0   the book is in line with the export (or nothing to do)
//   1   a failure: the API refused or could not be reached
//   2   the export is unreadable or has an invalid record: nothing was sent
//   3   partial: some actions were stale or failed (the next run plans them again)
//   75  interrupted (SIGTERM, SIGINT, the deadline): the next run resumes from the journal
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client, ScalewayError, ValidationError } from 'scaleway_partner'

const EXIT = { ok: 0, failure: 1, badInput: 2, partial: 3, interrupted: 75 }
// The whole run's budget; a scheduler's own timeout should be longer.
const DEADLINE_MS = Number(process.env.CRM_SYNC_DEADLINE_MS ?? 15 * 60_000)

const log = (event, fields = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }))

/** The rows of a CSV file (RFC 4180: quoted fields, doubled quotes, CRLF) as objects. */
export function readCsv(path) {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')
  const rows = [[]]
  let field = ''
  let quoted = false
  const endField = () => {
    rows.at(-1).push(field)
    field = ''
  }
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"'
      i += 1
    } else if (c === '"') {
      quoted = !quoted
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      field += c
    } else if (c === ',') {
      endField()
    } else if (c === '\n' || text[i + 1] !== '\n') {
      endField()
      rows.push([])
    }
  }
  endField()
  const [header, ...records] = rows.filter((r) => r.length > 1 || r[0] !== '')
  if (header === undefined) throw new ValidationError(`${path} has no header`, { field: 'records' })
  // An empty cell is a field left unmanaged, as the core reads a missing one.
  return records.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] || null])))
}

/** Applies `plan` with its journal under `signal`, logging progress; the exit status. */
async function applyPlan(client, plan, state, signal) {
  const { planFile, journal } = state
  writeFileSync(planFile, JSON.stringify(plan))
  log('apply_started', { plan: plan.id, actions: plan.actions.length, journal })
  let logged = 0
  const onProgress = ({ done, total }) => {
    // About every tenth of the way, and at the end.
    if (done === total || done - logged >= Math.max(1, Math.ceil(total / 10))) {
      logged = done
      log('apply_progress', { done, total })
    }
  }
  let outcome
  try {
    outcome = await client.apply(plan, { journal, signal, onProgress })
  } catch (err) {
    if (err instanceof ScalewayError && err.outcome) {
      log('apply_interrupted', { reason: err.code, counts: counts(err.outcome), resume: planFile })
      return EXIT.interrupted
    }
    throw err
  }
  for (const r of outcome.results.filter((r) => r.status === 'stale' || r.status === 'failed')) {
    log(`action_${r.status}`, {
      kind: r.kind,
      customer_id: r.customer_id,
      organization_id: r.organization_id,
      changed: r.changed,
      error: r.error,
    })
  }
  log('apply_finished', { plan: plan.id, counts: counts(outcome) })
  // Done, or done as far as it goes: the next run plans afresh.
  rmSync(planFile)
  rmSync(journal)
  const complete = outcome.results.every((r) => r.status === 'done' || r.status === 'already_done')
  return complete ? EXIT.ok : EXIT.partial
}

/** How many of `items` have each value of `key`. */
const tally = (items, key) => items.reduce((n, item) => ({ ...n, [item[key]]: (n[item[key]] ?? 0) + 1 }), {})
const counts = (outcome) => tally(outcome.results, 'status')

export async function main([csv, stateDir = 'crm-sync-state'] = []) {
  if (!csv) {
    console.error('usage: node sync.mjs customers.csv [STATE_DIR]')
    return EXIT.badInput
  }
  const controller = new AbortController()
  const stop = (signal) => {
    log('signal', { signal })
    controller.abort(new Error(`stopped by ${signal}`))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(DEADLINE_MS)])
  mkdirSync(stateDir, { recursive: true })
  const state = { planFile: join(stateDir, 'plan.json'), journal: join(stateDir, 'apply.journal') }
  const client = new Client()
  try {
    if (existsSync(state.planFile)) {
      log('resuming', { plan: state.planFile })
      const code = await applyPlan(client, JSON.parse(readFileSync(state.planFile, 'utf8')), state, signal)
      if (code !== EXIT.ok) return code
    }
    const records = readCsv(csv)
    const plan = await client.plan(records, {}, { signal })
    log('planned', {
      records: plan.records,
      organizations: plan.book_size,
      actions: tally(plan.actions, 'kind'),
      unchanged: plan.unchanged,
      conflicts: plan.conflicts.length,
      unclaimed: plan.unclaimed.length,
      scaleway_locked: plan.scaleway_locked.length,
    })
    for (const c of plan.conflicts) log('conflict', c)
    if (plan.actions.length === 0) {
      log('in_line', { message: 'nothing to do' })
      return EXIT.ok
    }
    return await applyPlan(client, plan, state, signal)
  } catch (err) {
    if (err instanceof ValidationError || err.code === 'ENOENT') {
      log('bad_input', { field: err.field ?? null, message: err.message })
      return EXIT.badInput
    }
    if (signal.aborted && err instanceof ScalewayError) {
      log('interrupted', { reason: err.code, message: err.message })
      return EXIT.interrupted
    }
    log('failed', { error: err.name, code: err.code ?? null, message: err.message })
    return EXIT.failure
  } finally {
    process.removeListener('SIGTERM', stop)
    process.removeListener('SIGINT', stop)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2))
}
