'use strict'
// MockServer: the Rust emulator started in this process. Its configuration, fault plans and
// statistics use the emulator's snake_case JSON; here they are camelCase like the rest of the API.

const native = require('../native.js')
const { Client } = require('./client.js')
const { objectArg } = require('./call.js')
const { convertError } = require('./errors.js')

const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

/**
 * Renames the keys of plain objects, deeply. Values under `keep` keys are data (a wire JSON body,
 * operation names) and are left exactly as given.
 */
function renameKeys(value, rename, keep) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename, keep))
  if (typeof value !== 'object' || value === null) return value
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    out[rename(k)] = keep.has(k) ? v : renameKeys(v, rename, keep)
  }
  return out
}

const KEEP_IN = new Set(['body'])
const KEEP_OUT = new Set(['by_operation', 'by_status'])

class MockServer {
  #native

  constructor(handle) {
    if (!(handle instanceof native.NativeMockServer)) {
      throw new TypeError('use `await MockServer.start(options)` to create a MockServer')
    }
    this.#native = handle
  }

  /**
   * Starts an emulator on 127.0.0.1 (a free port unless `listen` says otherwise).
   * @param {import('../testing').MockServerOptions} [options]
   */
  static async start(options = undefined) {
    const config = renameKeys(objectArg(options, 'options') ?? {}, snake, KEEP_IN)
    try {
      return new MockServer(await native.NativeMockServer.start(JSON.stringify(config)))
    } catch (err) {
      throw convertError(err)
    }
  }

  /** Base URL, `http://127.0.0.1:PORT`. */
  get url() {
    return this.#native.url
  }

  /** With `tls`, the PEM certificate of the authority behind the server's; else null. */
  get caCertificatePem() {
    return this.#native.caCertificatePem ?? null
  }

  /** Secret key of the first partner. */
  get secretKey() {
    return this.#native.secretKey
  }

  /** Organization ID of the first partner (its default `partnerId`). */
  get organizationId() {
    return this.#native.organizationId
  }

  /** Every partner: `[{ secretKey, organizationId }]`. */
  partners() {
    return renameKeys(JSON.parse(this.#native.partners()), camel, new Set())
  }

  /**
   * Request counters: `{ requests, inFlight, maxInFlight, rateLimited, faultsInjected, lateApplied,
   * connections, openConnections, maxOpenConnections, connectionsRefused, byOperation, byStatus }`.
   */
  stats() {
    return renameKeys(JSON.parse(this.#native.stats()), camel, KEEP_OUT)
  }

  resetStats() {
    this.#native.resetStats()
  }

  /** Scripted faults for the next matching requests, and/or fault probabilities. */
  injectFaults(plan) {
    const json = JSON.stringify(renameKeys(objectArg(plan, 'plan') ?? {}, snake, KEEP_IN))
    call(() => this.#native.injectFaults(json))
  }

  clearFaults() {
    this.#native.clearFaults()
  }

  /** Validates the owner's email (lifts Scaleway's `validate_email` lock); false if unknown. */
  validateEmail(organizationId) {
    return call(() => this.#native.validateEmail(organizationId))
  }

  /**
   * Overrides the wire JSON of an organization in every answer: `set` and `remove` use the API's
   * snake_case field names. False if unknown.
   */
  patchRaw(organizationId, patch) {
    return call(() => this.#native.patchRaw(organizationId, JSON.stringify(objectArg(patch, 'patch') ?? {})))
  }

  /** Back to the initial (seeded) state; statistics and faults cleared. */
  reset() {
    this.#native.reset()
  }

  /** Stops the server. */
  async close() {
    await this.#native.close()
  }

  /** A Client bound to this server (first partner); `options` override its settings. */
  client(options = undefined) {
    return new Client({
      apiUrl: this.url,
      secretKey: this.secretKey,
      defaultOrganizationId: this.organizationId,
      ...(this.caCertificatePem === null ? {} : { caCert: this.caCertificatePem }),
      ...objectArg(options, 'options'),
    })
  }
}

// Bad JSON (reported as InvalidArg) and arguments of the wrong type are TypeErrors for the caller.
function call(fn) {
  try {
    return fn()
  } catch (err) {
    throw convertError(err)
  }
}

module.exports = { MockServer }
