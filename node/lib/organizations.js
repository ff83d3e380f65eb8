'use strict'
// Organizations that reach JavaScript as JSON (`.all()`, the organizations an error carries):
// their timestamps become `Date`s, as napi gives them everywhere else.

/** `organizations` with `lockedAt` and `createdAt` as `Date`s (or null), changed in place. */
function withDates(organizations) {
  for (const o of organizations) {
    o.lockedAt = o.lockedAt == null ? null : new Date(o.lockedAt)
    o.createdAt = o.createdAt == null ? null : new Date(o.createdAt)
  }
  return organizations
}

module.exports = { withDates }
