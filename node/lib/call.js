'use strict'
// Per-call options (signal, timeout, totalTimeout, maxRetries) and the wrapper every call goes through, so that
// abort handling and error conversion live in one place.

const { CancelHandle } = require('../native.js')
const { convertError, abortError } = require('./errors.js')

function isObject(value) {
  return typeof value === 'object' && value !== null
}

/** Throws a TypeError unless `value` is an object or absent. */
function objectArg(value, name) {
  if (value === undefined || value === null) return undefined
  if (!isObject(value) || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`)
  }
  return value
}

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function isAbortSignal(value) {
  return (
    isObject(value) &&
    typeof value.aborted === 'boolean' &&
    typeof value.addEventListener === 'function' &&
    typeof value.removeEventListener === 'function'
  )
}

/** Checks the last `options` argument of a call; returns its fields. */
function callOptions(options) {
  const o = objectArg(options, 'options') ?? {}
  if (o.signal !== undefined && o.signal !== null && !isAbortSignal(o.signal)) {
    throw new TypeError(`options.signal must be an AbortSignal, got ${describe(o.signal)}`)
  }
  return {
    signal: o.signal ?? undefined,
    timeout: o.timeout,
    totalTimeout: o.totalTimeout,
    maxRetries: o.maxRetries,
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
  if (signal?.aborted) throw abortError(signal)
  const onAbort = handle ? () => handle.cancel() : undefined
  if (onAbort) signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await fn()
  } catch (err) {
    throw convertError(err, signal)
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

/** One call: bind the options, then run `fn(view)` watched. */
async function invoke(native, options, fn) {
  let binding
  try {
    binding = bind(native, callOptions(options))
  } catch (err) {
    throw convertError(err)
  }
  return watch(binding, () => fn(binding.view))
}

/**
 * Options of the operations that report progress. The native side gets a callback that ignores
 * its flush marker (`null`) and never throws into the addon; an exception of the user's callback
 * is kept and rethrown once the operation is over.
 */
function progressOptions(value, name) {
  const o = objectArg(value, name) ?? {}
  const { concurrency, onProgress } = o
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
    throw new TypeError(`${name}.onProgress must be a function, got ${describe(onProgress)}`)
  }
  let failure
  const callback =
    typeof onProgress === 'function'
      ? (progress) => {
          if (progress == null || failure) return
          try {
            onProgress(progress)
          } catch (err) {
            failure = { err }
          }
        }
      : undefined
  return {
    concurrency,
    callback,
    rethrow() {
      if (failure) throw failure.err
    },
  }
}

module.exports = { objectArg, callOptions, bind, watch, invoke, progressOptions }
