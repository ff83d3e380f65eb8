'use strict'
// The diff of two audits: the core's (`diffAudits` rebuilds both reports from their
// organizations, reference time and threshold, then compares them), also as `report.diff()`.

const native = require('./binding.js')
const { convertError } = require('./errors.js')
const { camel } = require('./names.js')

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

/** `client.audit()`'s result from the addon's JSON text, with its `diff(previous)` method. */
function reportFromJson(text) {
  const report = fromCore(JSON.parse(text))
  // The core's form leaves out an empty list of organizations; the report always has it.
  report.organizations ??= []
  return withDiff(report)
}

/** What changed from `previous` to `report`, two results of `client.audit()`. */
function diffAudits(report, previous) {
  for (const [name, value] of [['report', report], ['previous', previous]]) {
    if (value === null || typeof value !== 'object' || !Array.isArray(value.organizations)) {
      throw new TypeError(`${name} must be a result of client.audit()`)
    }
  }
  try {
    return fromCore(JSON.parse(native.diffAudits(report, previous)))
  } catch (err) {
    throw convertError(err)
  }
}

/** The report with its `diff(previous)` method (not enumerable: the report stays plain data). */
function withDiff(report) {
  Object.defineProperty(report, 'diff', {
    value: (previous) => diffAudits(report, previous),
    enumerable: false,
  })
  return report
}

module.exports = { diffAudits, reportFromJson }
