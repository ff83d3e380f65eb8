'use strict'
// Organizations that reach JavaScript as JSON (`.all()`): their timestamps become `Date`s, as
// napi gives them everywhere else.

/** `o`'s `lockedAt` and `createdAt` as `Date`s (or null), changed in place. */
function revive(o) {
  o.lockedAt = o.lockedAt == null ? null : new Date(o.lockedAt)
  o.createdAt = o.createdAt == null ? null : new Date(o.createdAt)
}

/**
 * One page of `.all()` from its JSON text. Values that repeat across organizations (enums, lock
 * reasons, owners' names, comments) become one string per listing, kept in `shared`: V8's
 * `JSON.parse` shares only strings of up to 10 characters, and 100,000 copies of each cost
 * more memory than the dates, and more time in the garbage collector than the look-ups.
 */
function parsePage(text, shared) {
  const one = (s) => {
    if (s == null) return s
    const known = shared.get(s)
    if (known !== undefined) return known
    shared.set(s, s)
    return s
  }
  const organizations = JSON.parse(text)
  for (const o of organizations) {
    revive(o)
    o.status = one(o.status)
    o.lockedBy = one(o.lockedBy)
    o.lockReasonMessage = one(o.lockReasonMessage)
    o.ownerFirstname = one(o.ownerFirstname)
    o.ownerLastname = one(o.ownerLastname)
    o.comment = one(o.comment)
  }
  return organizations
}

module.exports = { parsePage }
