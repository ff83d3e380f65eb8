'use strict'
// Audit reports and their diff: the core's, handed over as JS values (camelCase fields,
// `Date`s, `Organization`s: the addon decides the spelling); a report goes back to the core
// as it is, read by the core's types in the addon. The diff is also `report.diff()`.

const { convertError } = require('./errors.js')
const { describe } = require('./call.js')
const native = require('./binding.js')

/** What changed from `previous` to `report`, two results of `client.audit()`. */
function diffAudits(report, previous) {
  for (const [name, value] of [['report', report], ['previous', previous]]) {
    if (value === null || typeof value !== 'object' || !Array.isArray(value.organizations)) {
      throw new TypeError(`${name} must be a result of client.audit()`)
    }
  }
  try {
    return native.diffAudits(report, previous)
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
    return JSON.parse(native.planLocks(report, ids, lock))
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

module.exports = { diffAudits, withDiff }
