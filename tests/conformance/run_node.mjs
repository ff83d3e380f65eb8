// The Node runner of the shared conformance scenarios (tests/conformance/README.md).
//
// It runs every scenario with the built package in node/ and only translates: snake_case
// scenario arguments onto the camelCase API, results and errors into the canonical form.
// Prints one line per scenario and exits non-zero if any fails.
//
//   node tests/conformance/run_node.mjs [SCENARIO.json ...]
//
// The package is loaded by its name, 'scaleway_partner' and 'scaleway_partner/testing', through
// its package.json "exports" (a self-reference from the package directory, as node/tests resolve
// it). The directory is node/ after `npm install && npm run build`, or the one named by
// SCALEWAY_PARTNER_NODE_PACKAGE (e.g. a project's node_modules/scaleway_partner). The CommonJS
// entry is used because ESM has no way to resolve a name from another directory; index.mjs
// re-exports the very same objects.

import { createRequire } from 'node:module'
import { readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const SCENARIOS = join(here, 'scenarios')
const packageDir = resolve(process.env.SCALEWAY_PARTNER_NODE_PACKAGE ?? join(here, '../../node'))
const require = createRequire(join(packageDir, 'package.json'))
const { Client, ScalewayError } = require('scaleway_partner')
const { MockServer } = require('scaleway_partner/testing')
const { version } = require('scaleway_partner/package.json')

class Failure extends Error {}

/** What the runner's progress callbacks throw (`raise_after`): the call must reject with it. */
class CallbackError extends Error {}

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Renames the keys of plain objects deeply; values under `keep` keys are data, left as given. */
function renameKeys(value, rename, keep = new Set()) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename, keep))
  if (typeof value !== 'object' || value === null) return value
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    out[rename(k)] = keep.has(k) ? v : renameKeys(v, rename, keep)
  }
  return out
}

function substitute(value, vars) {
  if (typeof value === 'string' && value.startsWith('$') && !value.startsWith('$$')) {
    const [root, ...path] = value.slice(1).split('.')
    if (!(root in vars)) throw new Failure(`unknown variable ${value}`)
    let current = vars[root]
    for (const part of path) {
      if (typeof current !== 'object' || current === null || !(part in current)) {
        throw new Failure(`variable ${value}: no ${part}`)
      }
      current = current[part]
    }
    return current
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]))
  }
  return value
}

// Canonical timestamps have microseconds; a Date keeps milliseconds, so the last three digits
// are written as zeros here and every timestamp is compared at millisecond precision.
function wireTime(date) {
  return date === null ? null : date.toISOString().replace(/Z$/, '000Z')
}

/** An organization of the package in the API's wire form (snake_case keys). */
function wireOrganization(org) {
  const out = {}
  for (const [k, v] of Object.entries(org)) out[snake(k)] = v instanceof Date ? wireTime(v) : v
  for (const k of ['created_at', 'locked_at']) {
    if (!(k in out) || (out[k] !== null && typeof out[k] !== 'string')) {
      throw new Failure(`${k} is neither a Date nor null: ${String(org[camel(k)])}`)
    }
  }
  return out
}

function errorJson(err) {
  return {
    class: err.constructor.name,
    code: err.code ?? null,
    status: err.status ?? null,
    type: err.type ?? null,
    // Node names fields as its arguments (camelCase, `id` for the organization's ID).
    field: err.field == null ? null : err.field === 'id' ? 'organization_id' : snake(err.field),
    details: err.details == null ? null : renameKeys(err.details, snake),
    resource: err.resource ?? null,
    resource_id: err.resourceId ?? null,
    customer_id: err.customerId ?? null,
    email: err.email ?? null,
    organization_ids: err.organizationIds ?? null,
    location_host: err.locationHost ?? null,
    attempts: err.attempts ?? null,
    // The failure behind it (an unconfirmed create's), as the standard `cause`.
    cause: err.cause instanceof ScalewayError ? { code: err.cause.code, status: err.cause.status } : null,
    message: err.message,
    callback_exception: false,
    // A cancelled bulk call's items so far (turned canonical by bulkOutcome).
    results: err.results ?? null,
  }
}

/** A call's outcome; anything but a ScalewayError is the runner's or the package's bug. */
async function outcomeOf(promise) {
  try {
    const value = await promise
    return { result: value === undefined ? null : value }
  } catch (err) {
    if (err instanceof CallbackError) {
      return { error: { class: err.constructor.name, callback_exception: true, message: err.message } }
    }
    if (err instanceof ScalewayError) return { error: errorJson(err) }
    // A value of the wrong type (bad-inputs.json): the language's own error.
    if (err instanceof TypeError) return { error: { class: 'TypeError', message: err.message } }
    throw new Failure(`threw a ${err?.constructor?.name ?? typeof err}, not a ScalewayError: ${err?.message ?? err}`)
  }
}

function organizationOutcome(outcome) {
  return 'result' in outcome && outcome.result !== null
    ? { result: wireOrganization(outcome.result) }
    : outcome
}

function wireEnsured({ organization, created }) {
  return { organization: wireOrganization(organization), created }
}

/** One item of a bulk call: `{"result": ...}` or `{"error": ...}`; null in an interrupted call's results: not started. */
function bulkItem(r, wire) {
  if (r === null || r === undefined) return { not_started: true }
  if (r instanceof ScalewayError) return { error: errorJson(r) }
  if (r instanceof Error) throw new Failure(`bulk item is a ${r.constructor.name}: ${r.message}`)
  return { result: wire(r) }
}

/** A bulk call's outcome: its items, in order, or its error (one cut short with its items so far). */
async function bulkOutcome(promise, wire) {
  const outcome = await outcomeOf(promise)
  if ('result' in outcome) return { results: outcome.result.map((r) => bulkItem(r, wire)) }
  if (Array.isArray(outcome.error.results)) {
    outcome.error.results = outcome.error.results.map((r) => bulkItem(r, wire))
  }
  return outcome
}

/**
 * A step's `concurrency` and progress callback, as call options: `cancel_after` aborts the
 * call's signal once that many items are done, `raise_after` throws a CallbackError.
 */
function progressOptions(args) {
  const { concurrency, cancel_after: cancelAfter, raise_after: raiseAfter, ...rest } = args
  const options = {}
  if (concurrency !== undefined) options.concurrency = concurrency
  if (cancelAfter !== undefined) {
    const controller = new AbortController()
    options.signal = controller.signal
    options.onProgress = ({ done }) => {
      if (done >= cancelAfter) controller.abort()
    }
  }
  if (raiseAfter !== undefined) {
    options.onProgress = ({ done }) => {
      if (done >= raiseAfter) throw new CallbackError(`thrown by the progress callback after ${done} items`)
    }
  }
  return [options, rest]
}

// Scenario arguments that are not fields of the request objects.
const ID = 'organization_id'

function paramsOf(args) {
  const params = {}
  for (const [k, v] of Object.entries(args)) if (k !== ID) params[camel(k)] = v
  return params
}

async function call(client, op, args) {
  const id = args[ID]
  // Writes called without organization_id get undefined: the package refuses it, sending nothing.
  switch (op) {
    case 'create_organization':
      return organizationOutcome(await outcomeOf(client.createOrganization(paramsOf(args))))
    case 'ensure_organization': {
      const outcome = await outcomeOf(client.ensureOrganization(paramsOf(args)))
      return 'result' in outcome ? { result: wireEnsured(outcome.result) } : outcome
    }
    case 'ensure_organizations': {
      const [options, rest] = progressOptions(args)
      return bulkOutcome(client.ensureOrganizations((rest.requests ?? []).map(paramsOf), options), wireEnsured)
    }
    case 'get_organization':
      return organizationOutcome(await outcomeOf(client.getOrganization(id)))
    case 'update_organization':
      return organizationOutcome(await outcomeOf(client.updateOrganization(id, paramsOf(args))))
    case 'lock_organization':
      return organizationOutcome(await outcomeOf(client.lockOrganization(id)))
    case 'unlock_organization':
      return organizationOutcome(await outcomeOf(client.unlockOrganization(id)))
    case 'request_admin_role':
      return outcomeOf(client.requestAdminRole(id, paramsOf(args)))
    case 'plan':
      return outcomeOf(client.plan(args.records, { lockUnclaimed: args.lock_unclaimed ?? false }))
    case 'plan_locks':
      return outcomeOf(
        client.audit().then((report) => (args.lock ?? true ? report.planLock(args.ids) : report.planUnlock(args.ids))),
      )
    case 'apply':
      return outcomeOf(client.apply(args.plan))
    case 'list_organizations':
      return listOrganizations(client, args)
    case 'lock_organizations':
    case 'unlock_organizations':
    case 'get_organizations': {
      const [options, rest] = progressOptions(args)
      return bulkOutcome(client[camel(op)](rest.ids, options), wireOrganization)
    }
    default:
      throw new Failure(`unknown call ${op}`)
  }
}

// What `then` does to each organization as an `iter` listing yields it (same client).
const THEN = {
  lock_organization: (client, id) => client.lockOrganization(id),
  unlock_organization: (client, id) => client.unlockOrganization(id),
}

async function listOrganizations(client, args) {
  const [options, { mode = 'all', page = 1, then, ...filters }] = progressOptions(args)
  if (then !== undefined && (mode !== 'iter' || !(then in THEN))) {
    throw new Failure(`then: ${JSON.stringify(then)} needs mode iter and one of ${Object.keys(THEN).join(', ')}`)
  }
  let list
  try {
    // Bad filters are reported here, at the call (a throw, not a rejection), before anything is read.
    list = client.listOrganizations(paramsOf(filters))
  } catch (err) {
    return outcomeOf(Promise.reject(err))
  }
  if (mode === 'create') return { result: null }
  return outcomeOf(
    (async () => {
      if (mode === 'page') {
        const p = await list.page(page)
        return {
          organizations: p.organizations.map(wireOrganization),
          total_count: p.totalCount,
          page: p.page,
          page_size: p.pageSize,
        }
      }
      let organizations
      if (mode === 'iter') {
        organizations = []
        // Each one is acted on before the next is asked for; the first failure ends the step.
        for await (const org of list) {
          if (then !== undefined) await THEN[then](client, org.id)
          organizations.push(org)
        }
      } else {
        organizations = await list.all(options)
      }
      return { organizations: organizations.map(wireOrganization) }
    })(),
  )
}

async function control(mock, op, args) {
  switch (op) {
    case 'validate_email':
      if (!mock.validateEmail(args[ID])) throw new Failure('validate_email: unknown organization')
      return
    case 'patch_raw':
      // set/remove name wire fields: they stay snake_case.
      if (!mock.patchRaw(args[ID], { set: args.set ?? {}, remove: args.remove ?? [] })) {
        throw new Failure('patch_raw: unknown organization')
      }
      return
    case 'inject_faults':
      // An `error` fault's body is the wire JSON it answers: kept as written.
      mock.injectFaults(renameKeys(args, camel, new Set(['body'])))
      return
    case 'clear_faults':
      mock.clearFaults()
      return
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, args.ms))
      return
    case 'await_late_writes':
      await awaitLateWrites(mock, args.count)
      return
    default:
      throw new Failure(`unknown control ${op}`)
  }
}

/** Polls the emulator until `count` late writes have landed (bounded: 30 s, then the step fails). */
async function awaitLateWrites(mock, count) {
  if (!Number.isInteger(count)) throw new Failure('await_late_writes needs count')
  const until = Date.now() + 30_000
  for (;;) {
    const applied = mock.stats().lateApplied
    if (applied >= count) return
    if (Date.now() >= until) throw new Failure(`${applied} late writes after 30 s, expected ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

/** A canonical timestamp cut to milliseconds (what a Date holds); other values as they are. */
function atMillis(value) {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return value
  const [seconds, fraction = ''] = value.slice(0, -1).split('.')
  return `${seconds}.${fraction.padEnd(3, '0').slice(0, 3)}Z`
}

/** Subset matching, as the README describes. */
function matches(want, got, path) {
  const fail = () => {
    throw new Failure(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`)
  }
  const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)
  if (isObject(want) && '$len' in want) {
    if (!Array.isArray(got) || got.length !== want.$len) fail()
  } else if (isObject(want) && '$ne' in want) {
    if (isDeepStrictEqual(atMillis(want.$ne), atMillis(got))) fail()
  } else if (isObject(want) && '$present' in want) {
    if (got === null || got === undefined) fail()
  } else if (isObject(want)) {
    if (!isObject(got)) fail()
    for (const [key, value] of Object.entries(want)) {
      matches(value, got[key] ?? null, `${path}.${key}`)
    }
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got)) fail()
    if (want.length !== got.length) {
      throw new Failure(`${path}: expected ${want.length} items, got ${got.length}: ${JSON.stringify(got)}`)
    }
    want.forEach((w, i) => matches(w, got[i], `${path}[${i}]`))
  } else if (!isDeepStrictEqual(atMillis(want), atMillis(got))) {
    fail()
  }
}

/** Polls `condition` on the event loop until it holds (fails after 30 s: a hung step). */
async function until(what, condition) {
  const deadline = Date.now() + 30_000
  while (!condition()) {
    if (Date.now() >= deadline) throw new Failure(`never happened: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * A `traffic` step: the call made by a client of its own whose `hook` records every event,
 * through `withResponse()`; the outcome with `traffic` (snake_case keys) and `response`.
 */
async function observed(mock, config, op, args) {
  const events = []
  const client = makeClient(mock, config, { hook: (event) => events.push(event) })
  let response = null
  // The client's methods through withResponse(), giving the bare value as the plain ones do.
  const raw = new Proxy(
    {},
    {
      get: (_, name) =>
        async (...values) => {
          const answer = await client.withResponse()[name](...values)
          response = answer.response
          return answer.data
        },
    },
  )
  const outcome = await call(raw, op, args)
  // Events come on the event loop, possibly after the call settled: each attempt ends with its response.
  const count = (kind) => events.filter((e) => e.event === kind).length
  await until('every attempt has its response event', () => count('request') > 0 && count('request') === count('response'))
  if (JSON.stringify(events).includes(mock.secretKey)) throw new Failure(`the hook saw the secret key: ${JSON.stringify(events)}`)
  return {
    ...outcome,
    // Keys and the operation's name in the canonical snake_case (Node may spell them in camelCase).
    traffic: events.map((e) => renameKeys({ ...e, operation: e.operation == null ? null : snake(e.operation) }, snake)),
    response: response === null ? null : { status: response.status, request_id: response.requestId },
  }
}

function check(outcome, expect) {
  for (const key of ['result', 'error', 'results', 'traffic', 'response']) {
    if (key in expect) {
      if (!(key in outcome)) throw new Failure(`expected ${key}, got ${JSON.stringify(outcome)}`)
      matches(expect[key], outcome[key], key)
    }
  }
  if (!('error' in expect) && 'error' in outcome) {
    throw new Failure(`unexpected error ${JSON.stringify(outcome.error)}`)
  }
}

// Scenario client options that map one to one onto the package's ClientOptions.
const CLIENT_OPTIONS = {
  max_retries: 'maxRetries',
  timeout_ms: 'timeout',
  connect_timeout_ms: 'connectTimeout',
  total_timeout_ms: 'totalTimeout',
  create_settle_timeout_ms: 'createSettleTimeout',
  rate_limit: 'rateLimit',
  page_concurrency: 'pageConcurrency',
  bulk_concurrency: 'bulkConcurrency',
  max_connections: 'maxConnections',
  retry_unconfirmed_creates: 'retryUnconfirmedCreates',
  allow_insecure_http: 'allowInsecureHttp',
}

/** A client as the Rust runner builds it: the emulator, a partner's key and ID, no pacing. */
function makeClient(mock, config, extra = {}) {
  const options = {
    apiUrl: config.api_url ?? mock.url,
    secretKey: config.secret_key ?? mock.secretKey,
    rateLimit: 0,
    ...extra,
  }
  if (!('default_organization_id' in config)) options.defaultOrganizationId = mock.organizationId
  else if (config.default_organization_id !== null) {
    options.defaultOrganizationId = config.default_organization_id
  }
  for (const [key, option] of Object.entries(CLIENT_OPTIONS)) {
    if (key in config) options[option] = config[key]
  }
  return new Client(options)
}

async function runScenario(scenario) {
  const settings = { rate_limit: 0, ...(scenario.emulator ?? {}) }
  const mock = await MockServer.start(renameKeys(settings, camel))
  try {
    const vars = { partner_id: mock.organizationId }
    const partners = mock.partners()
    const clients = {}
    if (partners.length > 1) {
      vars.other_partner_id = partners[1].organizationId
      vars.other_secret_key = partners[1].secretKey
      clients.other = makeClient(mock, {
        secret_key: partners[1].secretKey,
        default_organization_id: partners[1].organizationId,
      })
    }
    const clientConfig = substitute(scenario.client ?? {}, vars)
    clients.default = makeClient(mock, clientConfig)
    for (const [i, rawStep] of scenario.steps.entries()) {
      const step = substitute(rawStep, vars)
      const label = `step ${i} (${step.call ?? step.control})`
      const before = mock.stats().requests
      let outcome
      try {
        if ('call' in step) {
          const client = clients[step.as ?? 'default']
          if (!client) throw new Failure(`"as": "${step.as}" needs two partners`)
          if (step.call === 'new_client') {
            outcome = await outcomeOf((async () => void makeClient(mock, step.args ?? {}))())
          } else if (step.call === 'close') {
            outcome = await outcomeOf(client.close())
          } else if (step.traffic) {
            outcome = await observed(mock, clientConfig, step.call, step.args ?? {})
          } else if (step.concurrently !== undefined) {
            // The call made that many times at once on one client; the outcomes in order.
            const calls = Array.from({ length: step.concurrently }, () => call(client, step.call, { ...step.args }))
            outcome = { results: await Promise.all(calls) }
          } else {
            outcome = await call(client, step.call, step.args ?? {})
          }
        } else if ('control' in step) {
          await control(mock, step.control, step.args ?? {})
          outcome = { result: null }
        } else {
          throw new Failure('neither call nor control')
        }
        if ('expect' in step) {
          check(outcome, step.expect)
          // A message names options and fields as JavaScript spells them.
          const mentions = step.expect.mentions
          if (mentions !== undefined && !(outcome.error?.message ?? '').includes(camel(mentions))) {
            throw new Failure(`the message does not name ${camel(mentions)}: ${JSON.stringify(outcome.error)}`)
          }
          if ('requests' in step.expect) {
            const got = mock.stats().requests - before
            if (got !== step.expect.requests) {
              throw new Failure(`${got} requests reached the emulator, expected ${step.expect.requests}`)
            }
          }
        } else if ('error' in outcome) {
          throw new Failure(`unexpected error ${JSON.stringify(outcome.error)}`)
        }
      } catch (err) {
        if (err instanceof Failure) throw new Failure(`${label}: ${err.message}`)
        throw err
      }
      if ('save' in step && 'result' in outcome) vars[step.save] = outcome.result
    }
  } finally {
    await mock.close()
  }
}

const BAD_INPUTS = join(here, 'bad-inputs.json')
const NATIVE = {
  missing: () => undefined,
  int: () => 42,
  nan: () => NaN,
  bytes: () => Buffer.from('owner@example.test'),
  object: () => ({}),
  list: () => [],
  bool: () => true,
}

/** The bad-input file's `$repeat` and `$native` values, as JavaScript values. */
function expand(value) {
  if (Array.isArray(value)) return value.map(expand)
  if (typeof value !== 'object' || value === null) return value
  if ('$repeat' in value) return value.$repeat.repeat(value.times)
  if ('$native' in value) return NATIVE[value.$native]()
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]))
}

/**
 * The case's canonical expectation: an error of this class, code and field whose message names
 * `mentions` (snake_case, or camelCase as the addon spells a field), for the call or every item
 * of a bulk call; or, with `ok`, no error.
 */
function checkBadInput(testCase, outcome) {
  const errors = 'results' in outcome ? outcome.results.map((r) => r.error) : [outcome.error]
  if (testCase.ok) {
    const failed = errors.find((e) => e !== undefined)
    if (failed) throw new Failure(`expected success, got ${JSON.stringify(failed)}`)
    return
  }
  const { mentions = null, ...want } = testCase.error
  for (const error of errors) {
    if (error === undefined) throw new Failure(`expected ${JSON.stringify(testCase.error)}, got ${JSON.stringify(outcome)}`)
    matches(want, error, 'error')
    if (mentions !== null && !error.message.includes(mentions) && !error.message.includes(camel(mentions))) {
      throw new Failure(`the message does not name ${mentions}: ${JSON.stringify(error.message)}`)
    }
  }
}

/** Runs every case of the bad-input matrix meant for Node: [cases run, failures]. */
async function runBadInputs() {
  const doc = JSON.parse(readFileSync(BAD_INPUTS, 'utf8'))
  const mock = await MockServer.start({ rateLimit: 0 })
  const failures = []
  let ran = 0
  try {
    const client = makeClient(mock, {})
    const created = await call(client, doc.setup.call, doc.setup.args)
    if (!('result' in created)) throw new Failure(`bad inputs setup: ${JSON.stringify(created)}`)
    const vars = { [doc.setup.save]: created.result }
    for (const testCase of doc.cases) {
      if (!(testCase.languages ?? ['node']).includes('node')) continue
      ran += 1
      const args = expand(substitute({ ...(doc.bases[testCase.base] ?? {}), ...testCase.args }, vars))
      const before = mock.stats().requests
      try {
        let outcome
        if (testCase.call === 'new_client') {
          outcome = await outcomeOf((async () => void makeClient(mock, args))())
        } else {
          try {
            outcome = await call(client, testCase.call, args)
          } catch (err) {
            // A bulk call's argument check throws before any item is tried.
            if (!(err instanceof TypeError)) throw err
            outcome = { error: { class: 'TypeError', message: err.message } }
          }
        }
        checkBadInput(testCase, outcome)
        const sent = mock.stats().requests - before
        if (!testCase.ok && sent !== 0) throw new Failure(`${sent} requests reached the emulator, expected 0`)
      } catch (err) {
        if (!(err instanceof Failure)) throw err
        failures.push(`${testCase.name}: ${err.message}`)
      }
    }
  } finally {
    await mock.close()
  }
  return [ran, failures]
}

/** Clients must not read the developer's own Scaleway configuration. */
function isolateFromTheMachine() {
  for (const name of Object.keys(process.env)) if (name.startsWith('SCW_')) delete process.env[name]
  process.env.HOME = '/nonexistent'
  delete process.env.XDG_CONFIG_HOME
}

async function main(argv) {
  isolateFromTheMachine()
  const files = argv.length
    ? argv.map((f) => resolve(f))
    : readdirSync(SCENARIOS)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(SCENARIOS, f))
  if (files.length === 0) {
    console.error(`no scenario found in ${SCENARIOS}`)
    return 2
  }
  let failures = 0
  for (const file of files) {
    const name = basename(file)
    try {
      await runScenario(JSON.parse(readFileSync(file, 'utf8')))
      console.log(`ok   ${name}`)
    } catch (err) {
      failures += 1
      console.log(`FAIL ${name}: ${err instanceof Failure ? err.message : (err?.stack ?? err)}`)
    }
  }
  console.log(`node (scaleway_partner ${version}): ${files.length - failures}/${files.length} scenarios passed`)
  if (argv.length === 0) {
    const [ran, failed] = await runBadInputs()
    for (const failure of failed) console.log(`FAIL ${basename(BAD_INPUTS)}: ${failure}`)
    failures += failed.length
    console.log(`node: ${ran - failed.length}/${ran} bad-input cases agree (${basename(BAD_INPUTS)})`)
  }
  return failures ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
