'use strict'
// Audit reports and their diff: the core's, handed over in its JSON form both ways; the diff
// is also `report.diff()`.

const native = require('./binding.js')
const { convertError } = require('./errors.js')
const { describe } = require('./call.js')
const { camel, snake } = require('./names.js')

// The addon hands reports and diffs over in the core's JSON form (snake_case keys, RFC 3339
// text): fields are renamed, timestamps become `Date`s, and the keys of these count maps are
// data (statuses, lock holders and reasons, months), kept as they are.
const COUNTS = new Set(['by_status', 'by_locked_by', 'by_lock_reason', 'created_per_month'])
const DATES = new Set(['generated_at', 'previous_generated_at', 'created_at', 'locked_at'])

/** A value of the core's JSON form (under `key`) as JavaScript's. */
function fromCore(value, key) {
  if (Array.isArray(value)) return value.map((v) => fromCore(v))
  if (DATES.has(key)) return value === null ? null : new Date(value)
  if (value === null || typeof value !== 'object' || COUNTS.has(key)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), fromCore(v, k)]))
}

/** A JavaScript report back in the core's JSON form, for the core's diff. */
function toCore(value, key) {
  if (Array.isArray(value)) return value.map((v) => toCore(v))
  if (value instanceof Date) return value.toISOString()
  if (value === null || typeof value !== 'object' || COUNTS.has(key)) return value
  return Object.fromEntries(
    // An organization's `extra` goes back among its fields, as the API spelt them.
    Object.entries(value).flatMap(([k, v]) => (k === 'extra' ? Object.entries(v) : [[snake(k), toCore(v, snake(k))]])),
  )
}

// An organization's keys as Node spells them, `extra` aside: the decoder's own.
let organizationKeys
/** An organization of the core's JSON form as JavaScript's, the fields the API added in `extra`. */
function organizationFromCore(value) {
  organizationKeys ??= new Set(Object.keys(native.decodeOrganization('{"id": ""}')).filter((k) => k !== 'extra'))
  const org = { extra: {} }
  for (const [k, v] of Object.entries(value)) {
    if (organizationKeys.has(camel(k))) org[camel(k)] = fromCore(v, k)
    else org.extra[k] = v
  }
  return org
}

/** `client.audit()`'s result from the addon's JSON text, with its `diff(previous)` method. */
function reportFromJson(text) {
  const { organizations = [], ...rest } = JSON.parse(text)
  // The core's form leaves out an empty list of organizations; the report always has it.
  return withDiff({ ...fromCore(rest), organizations: organizations.map(organizationFromCore) })
}

/** What changed from `previous` to `report`, two results of `client.audit()`. */
function diffAudits(report, previous) {
  for (const [name, value] of [['report', report], ['previous', previous]]) {
    if (value === null || typeof value !== 'object' || !Array.isArray(value.organizations)) {
      throw new TypeError(`${name} must be a result of client.audit()`)
    }
  }
  try {
    const [now, before] = [report, previous].map((r) => JSON.stringify(toCore(r)))
    return fromCore(JSON.parse(native.diffAudits(now, before)))
  } catch (err) {
    throw convertError(err)
  }
}

/**
 * The core's dry run of locking (`lock`) or unlocking the organizations of `report` picked by
 * `selection` (IDs, or findings and organizations with an `id`): a plan for `client.apply`.
 */
function planLocks(report, selection, lock) {
  if (!Array.isArray(selection)) {
    throw new TypeError(`selection must be an array of IDs or of objects with an id, got ${describe(selection)}`)
  }
  const ids = selection.map((item) => String(typeof item === 'string' ? item : item?.id))
  try {
    return JSON.parse(native.planLocks(JSON.stringify(toCore(report)), ids, lock))
  } catch (err) {
    throw convertError(err)
  }
}

/**
 * The report with its methods `diff(previous)`, `planLock(selection)` and
 * `planUnlock(selection)` (not enumerable: the report stays plain data).
 */
function withDiff(report) {
  const methods = {
    diff: (previous) => diffAudits(report, previous),
    planLock: (selection) => planLocks(report, selection, true),
    planUnlock: (selection) => planLocks(report, selection, false),
  }
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(report, name, { value, enumerable: false })
  }
  return report
}

module.exports = { diffAudits, reportFromJson }
