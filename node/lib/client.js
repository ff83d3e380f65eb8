'use strict'
// The public Client and its listing object. Each method maps its arguments onto the addon and its
// results back; validation, retries, pacing, pagination and bulk work are the Rust core's.

const { NativeClient } = require('../native.js')
const { AbortError, abortError, convertError, fromPayload } = require('./errors.js')
const { objectArg, callOptions, bind, watch, invoke, progressOptions } = require('./call.js')

function idsArg(ids) {
  if (!Array.isArray(ids)) {
    throw new TypeError(`ids must be an array of organization IDs, got ${typeof ids}`)
  }
  return ids
}

function requestsArg(requests) {
  if (!Array.isArray(requests)) {
    throw new TypeError(`requests must be an array of creation parameters, got ${typeof requests}`)
  }
  for (const [i, request] of requests.entries()) {
    if (request === undefined || request === null) {
      throw new TypeError(`requests[${i}] must be an object, got ${request}`)
    }
    objectArg(request, `requests[${i}]`)
  }
  return requests
}

// A bulk item carries its value under `organization` (or `ensured`), or an error payload.
function bulkResults(items) {
  return items.map((item) => item.organization ?? item.ensured ?? fromPayload(JSON.parse(item.error)))
}

class Client {
  #native

  /**
   * @param {import('../index').ClientOptions} [options] completed by `SCW_*` variables and the
   *   scw config.yaml
   */
  constructor(options = undefined) {
    try {
      this.#native = new NativeClient(objectArg(options, 'options'))
    } catch (err) {
      throw convertError(err)
    }
  }

  /** A client configured from `SCW_*` variables and the scw config.yaml only. */
  static fromEnv() {
    return new Client()
  }

  /** The API base URL in use. */
  get apiUrl() {
    return this.#native.apiUrl
  }

  /** The partner's own organization ID (the default `partnerId`), or null. */
  get defaultOrganizationId() {
    return this.#native.defaultOrganizationId
  }

  /** The config-file profile the settings came from, or null. */
  get profile() {
    return this.#native.profile
  }

  createOrganization(params, options) {
    return invoke(this.#native, options, (n) =>
      n.createOrganization(objectArg(params, 'params')),
    )
  }

  /**
   * The organization of `params.customerId`, created (never twice) only if there is none:
   * `{ organization, created }`. Several with that customer ID, or one with another owner
   * email, is a ConflictError and nothing is created.
   */
  ensureOrganization(params, options) {
    return invoke(this.#native, options, (n) =>
      n.ensureOrganization(objectArg(params, 'params')),
    )
  }

  getOrganization(id, options) {
    return invoke(this.#native, options, (n) => n.getOrganization(id))
  }

  // Writes need the organization's ID: a missing one (undefined, null, '') reaches the core as
  // '', which refuses it, naming organization_id. They never fall back to the default ID.
  updateOrganization(id, params, options) {
    return invoke(this.#native, options, (n) =>
      n.updateOrganization(id, objectArg(params, 'params')),
    )
  }

  lockOrganization(id, options) {
    return invoke(this.#native, options, (n) => n.lockOrganization(id))
  }

  unlockOrganization(id, options) {
    return invoke(this.#native, options, (n) => n.unlockOrganization(id))
  }

  async requestAdminRole(id, params, options) {
    await invoke(this.#native, options, (n) => n.requestAdminRole(id, objectArg(params, 'params')))
  }

  /**
   * The organizations matching `filters`, fetched lazily: iterate with `for await`, or use
   * `.all()`, `.page(n)` or `.pages()`. Nothing is sent (nor checked) until then.
   */
  listOrganizations(filters, options) {
    return new OrganizationList(this.#native, filters, options)
  }

  /**
   * Lists every organization (paced, several pages at once) and audits them: counts, findings,
   * shared values, growth per month, unknown values. The report is the core's, as plain objects.
   */
  async audit(auditOptions, options) {
    let stuckAfterDays
    let progress
    try {
      stuckAfterDays = objectArg(auditOptions, 'auditOptions')?.stuckAfterDays
      progress = progressOptions(auditOptions, 'auditOptions')
    } catch (err) {
      throw convertError(err)
    }
    const report = await invoke(this.#native, options, (n) =>
      n.audit(stuckAfterDays, progress.callback),
    )
    progress.rethrow()
    return report
  }

  lockOrganizations(ids, bulkOptions, options) {
    return this.#bulk('lockOrganizations', ids, bulkOptions, options)
  }

  unlockOrganizations(ids, bulkOptions, options) {
    return this.#bulk('unlockOrganizations', ids, bulkOptions, options)
  }

  getOrganizations(ids, bulkOptions, options) {
    return this.#bulk('getOrganizations', ids, bulkOptions, options)
  }

  /** `ensureOrganization` for each of `requests`: one result per request, in input order. */
  ensureOrganizations(requests, bulkOptions, options) {
    return this.#bulk('ensureOrganizations', requests, bulkOptions, options, requestsArg)
  }

  async #bulk(method, ids, bulkOptions, options, checkArg = idsArg) {
    let progress
    try {
      checkArg(ids)
      progress = progressOptions(bulkOptions, 'bulkOptions')
    } catch (err) {
      throw convertError(err)
    }
    const items = await invoke(this.#native, options, (n) =>
      n[method](ids, progress.concurrency, progress.callback),
    )
    progress.rethrow()
    const results = bulkResults(items)
    // Items cut short by an abort come back cancelled: the call as a whole was aborted.
    const aborted = results.find((r) => r instanceof AbortError)
    if (aborted) {
      aborted.cause = callOptions(options).signal?.reason
      throw aborted
    }
    return results
  }
}

class OrganizationList {
  #binding
  #lister
  #failure

  constructor(native, filters, options) {
    // Argument errors surface when the listing is used, like every other error of a listing.
    try {
      this.#binding = bind(native, callOptions(options))
      this.#lister = this.#binding.view.listOrganizations(objectArg(filters, 'filters'))
    } catch (err) {
      this.#failure = { err }
    }
  }

  #run(fn) {
    if (this.#failure) return Promise.reject(convertError(this.#failure.err))
    return watch(this.#binding, fn)
  }

  /** One page (1-based) with `totalCount`; a page past the end is empty. */
  page(n) {
    return this.#run(() => this.#lister.page(n))
  }

  /** Every matching organization, several pages at once; checks that it got them all. */
  async all(allOptions = undefined) {
    const progress = progressOptions(allOptions, 'options')
    const all = await this.#run(() => this.#lister.all(progress.concurrency, progress.callback))
    progress.rethrow()
    return all
  }

  /** The pages, one request at a time, fetched as they are consumed. */
  async *pages() {
    const cursor = await this.#run(async () => this.#lister.cursor())
    for (;;) {
      const page = await this.#run(() => cursor.nextPage())
      if (page === null) return
      yield page
    }
  }

  /** The organizations, one page fetched at a time as they are consumed. */
  async *[Symbol.asyncIterator]() {
    const signal = this.#binding?.signal
    for await (const page of this.pages()) {
      for (const org of page.organizations) {
        // An abort also stops what was already fetched from being handed out.
        if (signal?.aborted) throw abortError(signal)
        yield org
      }
    }
  }
}

module.exports = { Client, OrganizationList }
