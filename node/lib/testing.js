'use strict'
// MockServer: the Rust emulator started in this process. Its configuration, fault plans and
// statistics use the emulator's snake_case JSON; here they are camelCase like the rest of the API.

const native = require('../native.js')
const { Client } = require('./client.js')
const { objectArg, knownKeys } = require('./call.js')
const { camel, snake } = require('./names.js')
const { convertError } = require('./errors.js')

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

// Every option of the emulator and of a fault plan with its default (camelCase), to refuse a key
// it does not have.
const DEFAULTS = renameKeys(JSON.parse(native.NativeMockServer.defaults()), camel, new Set())

/** Checks the keys of `options` against `defaults`, into the nested option objects. */
function checkKeys(options, defaults, name) {
  knownKeys(options, name, Object.keys(defaults))
  for (const [key, value] of Object.entries(options)) {
    const inner = defaults[key]
    if (isPlainObject(inner) && isPlainObject(value)) checkKeys(value, inner, `${name}.${key}`)
  }
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)

// Each client made by `client()` keeps its emulator: a helper may return only the client.
const SERVER_OF = new WeakMap()

class MockServer {
  #native
  #keepAlive

  constructor(handle) {
    if (!(handle instanceof native.NativeMockServer)) {
      throw new TypeError('use `await MockServer.start(options)` to create a MockServer')
    }
    this.#native = handle
  }

  /**
   * Starts an emulator on 127.0.0.1 (a free port unless `listen` says otherwise). Given a
   * `listen` address, it serves others: it keeps the process alive until `close()` or `unref()`.
   * @param {import('../testing').MockServerOptions} [options]
   */
  static async start(options = undefined) {
    let config
    try {
      const given = objectArg(options, 'options') ?? {}
      checkKeys(given, DEFAULTS.config, 'options')
      config = renameKeys(given, snake, KEEP_IN)
      const server = new MockServer(await native.NativeMockServer.start(JSON.stringify(config)))
      return given.listen == null ? server : server.ref()
    } catch (err) {
      throw convertError(err)
    }
  }

  /** Keeps the process alive while the emulator serves (until `close()` or `unref()`). */
  ref() {
    if (this.#keepAlive === undefined) {
      // A ref'd timer keeps the process alive; holding the server, it keeps it from being
      // collected (and stopped) while it serves.
      this.#keepAlive = setInterval(() => this, 2 ** 31 - 1)
    }
    return this
  }

  /** Lets the process exit while the emulator is still open (the default without `listen`). */
  unref() {
    if (this.#keepAlive !== undefined) {
      clearInterval(this.#keepAlive)
      this.#keepAlive = undefined
    }
    return this
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
    const given = objectArg(plan, 'plan') ?? {}
    checkKeys(given, DEFAULTS.faultPlan, 'plan')
    const json = JSON.stringify(renameKeys(given, snake, KEEP_IN))
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
    this.unref()
    await this.#native.close()
  }

  /** `await using mock = await MockServer.start()` closes it at the end of the block. */
  [Symbol.asyncDispose]() {
    return this.close()
  }

  /**
   * A Client bound to this server (first partner); `options` override its settings. The server
   * lives at least as long as the client.
   */
  client(options = undefined) {
    const client = new Client({
      apiUrl: this.url,
      secretKey: this.secretKey,
      defaultOrganizationId: this.organizationId,
      ...(this.caCertificatePem === null ? {} : { caCert: this.caCertificatePem }),
      ...objectArg(options, 'options'),
    })
    SERVER_OF.set(client, this)
    return client
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
