'use strict'
// The diff of two audits: the core's (`diffAudits` rebuilds both reports from their
// organizations, reference time and threshold, then compares them), also as `report.diff()`.

const native = require('./binding.js')
const { convertError } = require('./errors.js')

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

/** The report with its `diff(previous)` method (not enumerable: the report stays plain data). */
function withDiff(report) {
  Object.defineProperty(report, 'diff', {
    value: (previous) => diffAudits(report, previous),
    enumerable: false,
  })
  return report
}

module.exports = { diffAudits, withDiff }
