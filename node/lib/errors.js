'use strict'
// The error classes, made from the core's error table (names, hierarchy, attributes), and the one
// place where rejections of the native addon become instances of them.

const { errorKinds } = require('./binding.js')

const KINDS = errorKinds()

const { camel } = require('./names.js')

// The table's attribute names as Node spells them; `cause` is the standard `Error` option.
const attributeName = (name) => (name === 'status_code' ? 'status' : camel(name))
const ATTRIBUTES = [
  ...new Set(KINDS.flatMap((k) => k.attributes).filter((a) => a !== 'cause').map(attributeName)),
]

// Codes of the classes, for the `code` of an error built directly (`new ValidationError(...)`).
const CODES = new Map()
// The attributes of each class (its kind's in the table, and its parents'), as Node spells them.
const CLASS_ATTRIBUTES = new Map()

/** The attributes of `cls` or of the nearest class of the table it extends. */
function attributesOf(cls) {
  for (let c = cls; c; c = Object.getPrototypeOf(c)) {
    const found = CLASS_ATTRIBUTES.get(c)
    if (found) return found
  }
  return []
}

class ScalewayError extends Error {
  /**
   * @param {string} message
   * @param {object} [attributes] any of the table's attributes (code, status, requestId...)
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, attributes = {}, options = undefined) {
    super(message, options)
    this.code = attributes.code ?? CODES.get(new.target) ?? 'unknown'
    // Own properties (what util.inspect and a log show): the attributes of the class's kind.
    // Another kind's read as null from the prototype.
    for (const key of attributesOf(new.target)) this[key] = attributes[key] ?? null
  }
}
for (const key of ATTRIBUTES) {
  Object.defineProperty(ScalewayError.prototype, key, { value: null, writable: true, configurable: true })
}

const classes = { ScalewayError }
// The table lists parents before their children.
for (const kind of KINDS) {
  const Parent = classes[kind.parent_class]
  const cls = { [kind.class_name]: class extends Parent {} }[kind.class_name]
  CODES.set(cls, kind.code)
  const mine = kind.attributes.filter((a) => a !== 'cause').map(attributeName)
  CLASS_ATTRIBUTES.set(cls, [...new Set([...attributesOf(Parent), ...mine])])
  classes[kind.class_name] = cls
}

// `name` on the prototypes, like the built-in errors: not an own enumerable property. Timeouts
// and cancellations take the names the web platform gives them (fetch, AbortSignal), so that
// `err.name === 'TimeoutError'` or `'AbortError'` recognises them as it does elsewhere.
const WEB_NAMES = { timeout: 'TimeoutError', cancelled: 'AbortError' }
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', {
    value: WEB_NAMES[CODES.get(cls)] ?? name,
    writable: true,
    configurable: true,
  })
}

const { APITimeoutError, RequestCancelledError } = classes

/** A field named as the caller wrote the argument: camelCase, and `id` for the organization's. */
function fieldName(field) {
  return field === 'organization_id' ? 'id' : camel(field)
}

/**
 * A transport failure's cause as Node's own network errors are: an `Error` whose `code` is the
 * system's name for it (`ECONNREFUSED`, `ETIMEDOUT`, `ENOTFOUND`...), so that `err.cause.code`
 * is checked as it is after `fetch` or `net`.
 */
function systemError({ systemCode, message }) {
  if (systemCode == null) return undefined
  const err = new Error(`${systemCode}: ${message}`)
  err.code = systemCode
  return err
}

/** True for the addon's typed error values (see bindings/node/src/errors.rs). */
function isNative(err) {
  return err instanceof Error && typeof err.className === 'string' && typeof err.attributes === 'object'
}

/** The attributes of an addon's error as Node spells them (`cause` apart). */
function nativeAttributes(native) {
  const attributes = { code: native.code }
  for (const [name, value] of Object.entries(native.attributes)) {
    if (name !== 'cause') attributes[attributeName(name)] = value
  }
  return attributes
}

/**
 * An error instance from an error value of the addon (its class chosen by the core's rule).
 * The failure behind it (an unconfirmed create's) comes as an error value of its own and becomes
 * the standard `cause`. `extra` are properties the call adds (a bulk call's `results`...).
 */
function fromNative(native, extra = {}) {
  const cls = classes[native.className] ?? ScalewayError
  const attributes = { ...nativeAttributes(native), ...extra }
  const behind = native.attributes.cause
  const cause = behind == null ? systemError(native) : fromNative(behind)
  // The message names settings and arguments as Node spells them (the addon's rendering);
  // `field` is given the same spelling.
  if (attributes.field != null) attributes.field = fieldName(attributes.field)
  const err = new cls(native.message, attributes, cause === undefined ? undefined : { cause })
  for (const [key, value] of Object.entries(extra)) err[key] = value
  return err
}

/**
 * The error of a call its signal aborted, the signal's reason as `cause`: an `APITimeoutError`
 * when the reason is a timeout (`AbortSignal.timeout`), else a `RequestCancelledError`.
 * `attributes` are the core's cancellation's, with the attempts and time of the call and a bulk
 * call's `results`; `NOT_STARTED` for a signal that had aborted before the call began.
 */
function cancelledError(signal, attributes = {}) {
  const options = { cause: signal?.reason }
  const { code: _code, ...kept } = attributes
  let err
  if (signal?.reason?.name === 'TimeoutError') {
    const after = kept.elapsed == null ? '' : ` after ${Math.round(kept.elapsed)} ms`
    err = new APITimeoutError(`the call's signal timed out (AbortSignal.timeout)${after}`, kept, options)
  } else {
    err = new RequestCancelledError('the call was cancelled', kept, options)
  }
  // What the call adds beyond the class's attributes (an apply's `outcome`).
  for (const [key, value] of Object.entries(kept)) if (!(key in err)) err[key] = value
  return err
}

/**
 * The error for an error value of the addon that ended a call: a cancellation the call's signal
 * caused is that signal's abort; `extra` as for `fromNative`.
 */
function callError(native, { signal, extra = {} } = {}) {
  if (native.code === 'cancelled' && signal?.aborted) {
    return cancelledError(signal, { ...nativeAttributes(native), ...extra })
  }
  return fromNative(native, extra)
}

// Statuses napi gives when a JS argument does not convert to the Rust type it maps to (the JS
// layer checks the declared types first: this is the last resort, napi's words as they are).
const CONVERSION_STATUSES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
])

/**
 * What a caller should see for an error thrown or rejected by the addon: a class of the table,
 * a TypeError for an argument of the wrong type, or the error itself.
 * @param {unknown} err
 * @param {{ signal?: AbortSignal }} [context] the call's signal (a cancellation is its abort)
 */
function convertError(err, { signal } = {}) {
  if (!(err instanceof Error) || err instanceof ScalewayError) return err
  if (isNative(err)) return callError(err, { signal })
  if (CONVERSION_STATUSES.has(err.code)) return new TypeError(err.message)
  return err
}

/** What a call whose signal had aborted before it began spent: nothing. */
const NOT_STARTED = Object.freeze({ attempts: 0, elapsed: 0 })

module.exports = { classes, convertError, fromNative, callError, cancelledError, NOT_STARTED }
