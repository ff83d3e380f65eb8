'use strict'
// scaleway_partner: the Scaleway Partner API client for Node (CommonJS entry; index.mjs
// re-exports it for ESM).

// napi-rs's loader, with an error naming the platform when no binary fits (lib/binding.js).
const native = require('./lib/binding.js')
const errors = require('./lib/errors.js')
const { Client, OrganizationList } = require('./lib/client.js')
const { diffAudits } = require('./lib/audit.js')

/**
 * Decodes an organization, given as text or as a parsed object, in the API's wire JSON
 * (snake_case keys) or in this package's own form (`JSON.stringify` of an organization), with
 * the core's decoder: a value it cannot read is a ValidationError naming the field.
 */
function decodeOrganization(json) {
  const text = typeof json === 'string' ? json : JSON.stringify(json)
  if (typeof text !== 'string') {
    throw new TypeError('decodeOrganization expects JSON text or an object')
  }
  try {
    return native.decodeOrganization(text)
  } catch (err) {
    throw errors.convertError(err)
  }
}

module.exports = {
  Client,
  OrganizationList,
  decodeOrganization,
  diffAudits,
  ...errors.classes,
}
