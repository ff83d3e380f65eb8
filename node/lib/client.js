'use strict'
// The public Client and its listing object. The methods are made from one table (METHODS): each
// maps its arguments onto a method of the addon's NativeClient and its result back; validation,
// retries, pacing, pagination and bulk work are the Rust core's.

const { NativeClient } = require('./binding.js')
const { convertError, fromNative, callError, cancelledError } = require('./errors.js')
const { withDiff } = require('./audit.js')
const { parsePage } = require('./organizations.js')
const {
  nativeArg,
  describe,
  optional,
  callOptions,
  bind,
  watch,
  progressOptions,
} = require('./call.js')

// How each kind of argument is checked and handed to the addon: `take(value, state)` returns the
// addon's arguments for it, and may set the call's `progress`, `signal` and `finish` (the
// result's mapping) in `state`.
const ID = { take: (v) => [optional(v, 'id', 'string')] }

const params = (objectName) => ({ take: (v) => [nativeArg(v, 'params', objectName)] })

const IDS = {
  take(ids) {
    if (!Array.isArray(ids)) {
      throw new TypeError(`ids must be an array of organization IDs (strings), got ${describe(ids)}`)
    }
    ids.forEach((id, i) => {
      if (typeof id !== 'string') throw new TypeError(`ids[${i}] must be a string, got ${describe(id)}`)
    })
    return [ids]
  },
}

const REQUESTS = {
  take(requests) {
    if (!Array.isArray(requests)) {
      throw new TypeError(`requests must be an array of creation parameters, got ${describe(requests)}`)
    }
    requests.forEach((request, i) => {
      if (request == null) throw new TypeError(`requests[${i}] must be an object, got ${describe(request)}`)
      nativeArg(request, `requests[${i}]`, 'CreateOrganizationInput')
    })
    return [requests]
  },
}

// A bulk item carries its organization (and `created` for ensureOrganizations) or its error;
// `null` is an item an interruption left unstarted.
function bulkResult(item) {
  if (item === null) return null
  if (item.error !== null) return fromNative(item.error)
  return item.created === null ? item.organization : { organization: item.organization, created: item.created }
}

const BULK_OPTIONS = {
  take(value, state) {
    const { concurrency, onProgress, signal } = progressOptions(value, 'bulkOptions', PROGRESS_KEYS)
    state.signal = signal
    // An interrupted call rejects with what it did in `results` (the core's rule).
    state.finish = ({ items, interrupted }, { signal }) => {
      const results = items.map(bulkResult)
      if (interrupted === null) return results
      throw callError(interrupted, { signal, extra: { results } })
    }
    return [concurrency, onProgress]
  },
}

const AUDIT_OPTIONS = {
  take(value, state) {
    const { stuckAfterDays, onProgress } = progressOptions(value, 'auditOptions', ['stuckAfterDays', 'onProgress'])
    state.finish = withDiff
    return [optional(stuckAfterDays, 'auditOptions.stuckAfterDays', 'number'), onProgress]
  },
}

// The customer book as code: records and plans cross to the core as JSON (the plan is the same
// document as Python's); planning, checks and apply are the core's.
const RECORDS = {
  take(records) {
    if (!Array.isArray(records)) {
      throw new TypeError(`records must be an array of objects (the API's field names), got ${describe(records)}`)
    }
    return [JSON.stringify(records)]
  },
}

const PLAN_OPTIONS = {
  take(value, state) {
    const { lockUnclaimed, onProgress } = progressOptions(value, 'planOptions', ['lockUnclaimed', 'onProgress'])
    state.finish = (text) => JSON.parse(text)
    return [optional(lockUnclaimed, 'planOptions.lockUnclaimed', 'boolean'), onProgress]
  },
}

const PLAN = {
  take(plan) {
    if (plan === null || typeof plan !== 'object') {
      throw new TypeError(`plan must be a plan object (client.plan's result), got ${describe(plan)}`)
    }
    return [JSON.stringify(plan)]
  },
}

const APPLY_OPTIONS = {
  take(value, state) {
    const { journal, concurrency, onProgress, signal } = progressOptions(value, 'applyOptions', [
      'journal',
      ...PROGRESS_KEYS,
    ])
    state.signal = signal
    // An interrupted apply rejects with the outcome so far in `outcome` (the journal has it too).
    state.finish = ({ outcome: text, interrupted }, { signal }) => {
      const outcome = JSON.parse(text)
      if (interrupted === null) return outcome
      throw callError(interrupted, { signal, extra: { outcome } })
    }
    return [optional(journal, 'applyOptions.journal', 'string'), concurrency, onProgress]
  },
}

/**
 * Every method but `listOrganizations` (each the addon's method of the same name): the kinds of
 * its arguments before the per-call `options`.
 */
const METHODS = {
  createOrganization: [params('CreateOrganizationInput')],
  /**
   * The organization of `params.customerId`, created (never twice) only if there is none:
   * `{ organization, created }`.
   */
  ensureOrganization: [params('CreateOrganizationInput')],
  getOrganization: [ID],
  // Writes need the organization's ID: a missing one (undefined, null, '') reaches the core as
  // '', which refuses it. They never fall back to the default ID.
  updateOrganization: [ID, params('UpdateOrganizationInput')],
  lockOrganization: [ID],
  unlockOrganization: [ID],
  requestAdminRole: [ID, params('RequestAdminRoleInput')],
  audit: [AUDIT_OPTIONS],
  lockOrganizations: [IDS, BULK_OPTIONS],
  unlockOrganizations: [IDS, BULK_OPTIONS],
  getOrganizations: [IDS, BULK_OPTIONS],
  ensureOrganizations: [REQUESTS, BULK_OPTIONS],
  plan: [RECORDS, PLAN_OPTIONS],
  apply: [PLAN, APPLY_OPTIONS],
}

// Options of `.all()` and the bulk calls: the signal may come with them rather than with the
// call's options (where every call takes it).
const PROGRESS_KEYS = ['concurrency', 'onProgress', 'signal']

/** The call's options, with a signal given beside the progress options instead. */
function withSignal(options, signal) {
  if (signal == null) return options
  if (options.signal !== undefined) throw new TypeError('a signal was given twice: pass it in one of the options objects')
  return { ...options, signal }
}


/**
 * The client's `hook` as the addon calls it: an exception of the user's hook, or the rejection
 * of an async one, cannot reach the call it observes, so it becomes a process warning.
 */
function hookOption(options) {
  const { hook } = options
  if (hook == null) return options
  if (typeof hook !== 'function') throw new TypeError(`hook must be a function, got ${describe(hook)}`)
  const warn = (err) => {
    const warning = new Error(`the client's hook threw: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    })
    warning.name = 'ScalewayPartnerHookWarning'
    process.emitWarning(warning)
  }
  return {
    ...options,
    hook: (event) => {
      let result
      try {
        result = hook(event)
      } catch (err) {
        warn(err)
        return
      }
      if (typeof result?.then === 'function') result.then(undefined, warn)
    },
  }
}

/** A TypeError for arguments past the last one `method` takes: they would be ignored silently. */
function noExtra(method, taken, values) {
  if (values.length > taken) {
    throw new TypeError(`${method}() takes at most ${taken} arguments, got ${values.length}`)
  }
}

// `logLevel` (or SCALEWAY_PARTNER_LOG) and `logger`: options of this layer, not the addon's.
const LOG_LEVELS = ['off', 'error', 'warn', 'info', 'debug']
const LOG_KEYS = ['logLevel', 'logger']

/** One traffic event as a log line and its level: retries warn, failed answers inform. */
function logLine(e) {
  const where = `${e.operation} ${e.method} ${e.path} (attempt ${e.attempt})`
  const id = e.requestId ? `, request id ${e.requestId}` : ''
  if (e.event === 'retry') {
    const why = e.status !== null ? `HTTP ${e.status}` : (e.error ?? 'failure')
    return ['warn', `scaleway_partner: ${where} failed (${why}); retrying in ${Math.round(e.delay ?? 0)} ms`]
  }
  if (e.event === 'response') {
    const outcome = e.status !== null ? `HTTP ${e.status}` : (e.error ?? 'no answer')
    const level = e.status !== null && e.status < 400 ? 'debug' : 'info'
    return [level, `scaleway_partner: ${where}: ${outcome} in ${Math.round(e.duration ?? 0)} ms${id}`]
  }
  return ['debug', `scaleway_partner: ${where} sending`]
}

/**
 * The client's `hook` with the log of `logLevel` (default: SCALEWAY_PARTNER_LOG, else off) to
 * `logger` (console by default); the options without the two logging keys.
 */
function loggingOption(options) {
  const { logLevel = process.env.SCALEWAY_PARTNER_LOG || 'off', logger = console, ...rest } = options
  const threshold = LOG_LEVELS.indexOf(logLevel)
  if (threshold < 0) {
    throw new TypeError(`logLevel must be one of ${LOG_LEVELS.map((l) => `'${l}'`).join(', ')}, got ${JSON.stringify(logLevel)}`)
  }
  if (threshold === 0) return rest
  for (const level of LOG_LEVELS.slice(1, threshold + 1)) {
    if (typeof logger?.[level] !== 'function') throw new TypeError(`logger must have the method ${level}()`)
  }
  const { hook } = rest
  if (hook != null && typeof hook !== 'function') return rest // hookOption says what is wrong
  return {
    ...rest,
    hook: (event) => {
      const [level, line] = logLine(event)
      if (LOG_LEVELS.indexOf(level) <= threshold) logger[level](line)
      if (hook != null) hook(event)
    },
  }
}

/**
 * A call of `method` ready to go: its arguments checked and handed to the addon's method (bound
 * as `call`), the binding its signal and options give, and the mapping of its result. Every
 * error here is converted to the package's classes.
 */
function prepare(method, native, kinds, values) {
  const state = { finish: (result) => result }
  noExtra(method, kinds.length + 1, values)
  try {
    const args = kinds.flatMap((kind, i) => kind.take(values[i], state))
    const binding = bind(native, withSignal(callOptions(values[kinds.length]), state.signal))
    return {
      binding,
      call: binding.view[method].bind(binding.view, ...args),
      finish: (result) => state.finish(result, binding),
    }
  } catch (err) {
    throw convertError(err)
  }
}

class Client {
  #native

  /**
   * @param {import('../index').ClientOptions} [options] completed by `SCW_*` variables and the
   *   scw config.yaml
   */
  constructor(options = undefined) {
    try {
      const given = nativeArg(options, 'options', 'ClientOptions', LOG_KEYS) ?? {}
      this.#native = new NativeClient(hookOption(loggingOption(given)))
    } catch (err) {
      throw convertError(err)
    }
  }

  static {
    for (const [name, kinds] of Object.entries(METHODS)) {
      // The method itself watches the addon's call (an aborted signal throws before it is
      // made, an abort during it cancels it in the core): no frame between them.
      const method = {
        async [name](...values) {
          const { binding, call, finish } = prepare(name, this.#native, kinds, values)
          return finish(await watch(binding, call))
        },
      }[name]
      Object.defineProperty(this.prototype, name, { value: method, writable: true, configurable: true })
    }
  }

  /**
   * The client's methods (all but `listOrganizations`), each resolving to `{ data, response }`:
   * the result and the metadata of the successful answer (`status`, `requestId`, `headers`).
   */
  withResponse() {
    const native = this.#native
    const methods = {}
    for (const [name, kinds] of Object.entries(METHODS)) {
      methods[name] = async (...values) => {
        // A view of its own per call: concurrent calls do not see each other's answers.
        const view = native.withResponseCapture()
        const { binding, call, finish } = prepare(name, view, kinds, values)
        const data = finish(await watch(binding, call))
        return { data, response: view.lastResponse() }
      }
    }
    return methods
  }

  /**
   * Closes the client: calls in flight and later ones reject with a `RequestCancelledError`
   * (nothing more is sent). `await using client = new Client()` closes it at the end of the block.
   */
  async close() {
    this.#native.close()
  }

  /** `await using client = new Client()` closes it at the end of the block. */
  [Symbol.asyncDispose]() {
    return this.close()
  }

  /** True once `close()` was called. */
  get closed() {
    return this.#native.closed
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

  /**
   * The organizations matching `filters`, fetched lazily: iterate with `for await`, await it for
   * page 1, or use `.all()`, `.page(n)` or `.pages()`. Bad filters or options throw here.
   */
  listOrganizations(filters, options, ...extra) {
    noExtra('listOrganizations', 2, [filters, options, ...extra])
    try {
      return new OrganizationList(this.#native, callOptions(options), nativeArg(filters, 'filters', 'ListOrganizationsInput'))
    } catch (err) {
      throw convertError(err)
    }
  }
}

/**
 * Every organization of `lister.all()`. The addon hands each page over as the JSON text of its
 * organizations as soon as it is read (far cheaper than building 100,000 objects through napi,
 * and only a few pages exist as text at a time), then says how many pages it sent and how many
 * of the last ones make the listing (the core reads it again when it changed while read).
 */
async function collectAll(lister, concurrency, onProgress) {
  const pages = []
  const shared = new Map()
  let arrived = () => {}
  const { sent, kept, undecodable } = await lister.all(concurrency, onProgress, (text) => {
    pages.push(parsePage(text, shared))
    arrived()
  })
  // The pages come through a queue of their own: the last ones may land after the answer.
  while (pages.length < sent) await new Promise((resolve) => (arrived = resolve))
  const organizations = pages.slice(pages.length - kept).flat()
  if (undecodable === null) return organizations
  throw fromNative(undecodable, { organizations })
}

class OrganizationList {
  #native
  #options
  #filters
  #binding
  #lister

  // Bad filters throw here: at the listOrganizations call (the core's rule).
  constructor(native, options, filters) {
    this.#native = native
    this.#options = options
    this.#filters = filters
    this.#binding = bind(native, options)
    this.#lister = this.#binding.view.listOrganizations(filters)
  }

  /** One page (1-based) with `totalCount`; a page past the end is empty. */
  page(n) {
    return watch(this.#binding, async () => this.#lister.page(optional(n, 'page', 'number')))
  }

  /**
   * Page 1, so that `await client.listOrganizations()` gives the first page as other SDKs do;
   * iterate for every organization.
   */
  then(onFulfilled, onRejected) {
    return this.page(1).then(onFulfilled, onRejected)
  }

  /** Every matching organization, several pages at once; checks that it got them all. */
  async all(allOptions = undefined) {
    let options
    let binding = this.#binding
    let lister = this.#lister
    try {
      options = progressOptions(allOptions, 'options', PROGRESS_KEYS)
      // A signal given here: the same listing, bound to it.
      const { signal } = options
      if (signal != null) {
        binding = bind(this.#native, withSignal(this.#options, signal))
        lister = binding.view.listOrganizations(this.#filters)
      }
    } catch (err) {
      throw convertError(err)
    }
    const { concurrency, onProgress } = options
    return watch(binding, () => collectAll(lister, concurrency, onProgress))
  }

  /** The pages, fetched as they are consumed (pageConcurrency - 1 more on their way meanwhile). */
  async *pages() {
    const cursor = this.#lister.cursor()
    for (;;) {
      const page = await watch(this.#binding, () => cursor.nextPage())
      if (page === null) return
      yield page
    }
  }

  /** The organizations, the pages fetched as they are consumed (pageConcurrency - 1 ahead at most). */
  async *[Symbol.asyncIterator]() {
    const { signal } = this.#binding
    for await (const page of this.pages()) {
      for (const org of page.organizations) {
        // An abort also stops what was already fetched from being handed out.
        if (signal?.aborted) throw cancelledError(signal)
        yield org
      }
    }
  }
}

module.exports = { Client, OrganizationList }
