'use strict'
// Arguments in the caller's idiom (a TypeError naming the argument, the expected type and, for an
// unknown key, the closest known one), per-call options (signal, timeout, totalTimeout,
// maxRetries), and the wrapper every call goes through, so that abort handling and error
// conversion live in one place.

const { CancelHandle, _objectKeys } = require('./binding.js')
const { convertError, cancelledError, NOT_STARTED } = require('./errors.js')

const { camel } = require('./names.js')

// The fields of the option objects declared in the addon, camelCased, with the JavaScript type
// of each: `{ ClientOptions: { secretKey: 'string', ... } }`.
const NATIVE_TYPES = Object.fromEntries(
  Object.entries(_objectKeys()).map(([name, fields]) => [
    name,
    Object.fromEntries(fields.map(({ key, jsType }) => [camel(key), jsType])),
  ]),
)

/** The keys of the option objects declared in the addon, camelCased: `{ ClientOptions: [...] }`. */
const NATIVE_KEYS = Object.fromEntries(Object.entries(NATIVE_TYPES).map(([name, types]) => [name, Object.keys(types)]))

const ARTICLE = { object: 'an object' }

/**
 * `value` checked as the addon's object argument `objectName` (keys and the type of each value,
 * as the addon declares them), with `extraKeys` the JS layer takes itself; a TypeError names
 * the first that is wrong.
 */
function nativeArg(value, name, objectName, extraKeys = [], hints = {}) {
  const types = NATIVE_TYPES[objectName]
  const o = objectArg(value, name, [...Object.keys(types), ...extraKeys], hints)
  for (const [key, type] of Object.entries(types)) {
    const given = o?.[key]
    if (given === undefined || given === null || typeof given === type) continue
    throw new TypeError(`${key} must be ${ARTICLE[type] ?? `a ${type}`}, got ${typeof given}`)
  }
  return o
}

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

/** Throws a TypeError naming `name` unless `value` is absent or of type `type`. */
function optional(value, name, type) {
  if (value === undefined || value === null || typeof value === type) return value
  throw new TypeError(`${name} must be a ${type}, got ${describe(value)}`)
}

function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    row = next
  }
  return row[b.length]
}

/**
 * The known key closest to `key` (case-insensitively), when it looks like a typo of it: a few
 * edits away, or a start of it (`stuckAfter` for `stuckAfterDays`).
 */
function closest(key, known) {
  const k = key.toLowerCase()
  let best
  let bestDistance = Infinity
  for (const candidate of known) {
    const c = candidate.toLowerCase()
    const d = c.startsWith(k) || k.startsWith(c) ? 1 : editDistance(k, c)
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return bestDistance <= Math.max(3, Math.floor(key.length / 3)) ? best : undefined
}

/**
 * Throws a TypeError unless `value` is an object or absent, or if it has a key outside `known`
 * (a typo would otherwise be ignored: a PATCH that changes nothing, a timeout not applied).
 * `hints` explains keys that belong elsewhere.
 */
function objectArg(value, name, known = undefined, hints = {}) {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`)
  }
  if (known !== undefined) knownKeys(value, name, known, hints)
  return value
}

/** Throws a TypeError naming the first key of `value` outside `known`, and the closest known one. */
function knownKeys(value, name, known, hints = {}) {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue
    const near = closest(key, known)
    throw new TypeError(
      `${name} has an unknown key '${key}'` +
        (hints[key] ? `: ${hints[key]}` : near ? `; did you mean '${near}'?` : '') +
        ` (known keys: ${known.join(', ')})`,
    )
  }
}

function isAbortSignal(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.aborted === 'boolean' &&
    typeof value.addEventListener === 'function' &&
    typeof value.removeEventListener === 'function'
  )
}

const CALL_OPTIONS = ['signal', 'timeout', 'totalTimeout', 'maxRetries']

/** `value` if it is an AbortSignal, undefined if absent; else a TypeError naming `name`. */
function signalArg(value, name) {
  if (value === undefined || value === null) return undefined
  if (!isAbortSignal(value)) throw new TypeError(`${name} must be an AbortSignal, got ${describe(value)}`)
  return value
}

/** Checks the last `options` argument of a call; returns its fields. */
function callOptions(options) {
  const o = objectArg(options, 'options', CALL_OPTIONS) ?? {}
  return {
    signal: signalArg(o.signal, 'options.signal'),
    timeout: optional(o.timeout, 'options.timeout', 'number'),
    totalTimeout: optional(o.totalTimeout, 'options.totalTimeout', 'number'),
    maxRetries: optional(o.maxRetries, 'options.maxRetries', 'number'),
  }
}

/**
 * A view of the native client bound to the call's timeouts, retries and cancellation.
 * The returned `handle` is cancelled when the signal aborts (while `watch` is active).
 */
function bind(native, { signal, timeout, totalTimeout, maxRetries }) {
  const handle = signal ? new CancelHandle() : undefined
  const needsView =
    handle !== undefined || timeout != null || totalTimeout != null || maxRetries != null
  const view = needsView ? native.withOptions(timeout, totalTimeout, maxRetries, handle) : native
  return { view, handle, signal }
}

/**
 * Runs `fn` with the signal watched: an already-aborted signal rejects at once, an abort during
 * the call cancels it in the core. Every error is converted to the package's classes.
 */
async function watch(binding, fn) {
  const { handle, signal } = binding
  if (signal?.aborted) throw cancelledError(signal, NOT_STARTED)
  const onAbort = handle ? () => handle.cancel() : undefined
  if (onAbort) signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await fn()
  } catch (err) {
    throw convertError(err, { signal })
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

const PROGRESS_OPTIONS = ['concurrency', 'onProgress']

/**
 * Options of the operations that report progress. The addon calls `onProgress` and waits for
 * it (the core's rule), and for the promise of an async one; what it throws stops the call,
 * which rejects with that very value (the core carries it).
 */
function progressOptions(value, name, known = PROGRESS_OPTIONS, hints = {}) {
  const o = objectArg(value, name, known, hints) ?? {}
  signalArg(o.signal, `${name}.signal`)
  optional(o.concurrency, `${name}.concurrency`, 'number')
  optional(o.onProgress, `${name}.onProgress`, 'function')
  return o
}

module.exports = {
  NATIVE_KEYS,
  nativeArg,
  knownKeys,
  describe,
  optional,
  objectArg,
  callOptions,
  bind,
  watch,
  progressOptions,
}
