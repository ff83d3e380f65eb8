'use strict'
// The error classes, made from the core's error table (names, hierarchy, attributes), and the one
// place where rejections of the native addon become instances of them.

const { ERROR_PAYLOAD_MARKER, errorKinds } = require('./binding.js')

const KINDS = JSON.parse(errorKinds())

const { camel } = require('./names.js')
const { withDates } = require('./organizations.js')

// The table's attribute names as Node spells them; `cause` is the standard `Error` option.
const attributeName = (name) => (name === 'status_code' ? 'status' : camel(name))
const ATTRIBUTES = [
  ...new Set(KINDS.flatMap((k) => k.attributes).filter((a) => a !== 'cause').map(attributeName)),
]

// Codes of the classes, for the `code` of an error built directly (`new ValidationError(...)`).
const CODES = new Map()
// The attributes of each class (its own and its parents'), as the table lists them.
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
    // Own properties (what util.inspect and a log show): the class's attributes, and any other
    // the error carries. The rest read as null from the prototype.
    const own = attributesOf(new.target)
    for (const key of ATTRIBUTES) {
      const value = attributes[key] ?? null
      if (value !== null || own.includes(key)) this[key] = value
    }
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

/**
 * An error instance from a payload of the addon (its class chosen by the core's rule). The
 * failure behind it (an unconfirmed create's) comes as a payload of its own and becomes the
 * standard `cause`; otherwise `cause` is used.
 */
function fromPayload(payload, cause) {
  const cls = classes[payload.className] ?? ScalewayError
  const inner = payload.cause == null ? (systemError(payload) ?? cause) : fromPayload(payload.cause, cause)
  if (payload.field != null) {
    // The core says "invalid <field>: ..."; the message names the argument as `field` does.
    const field = fieldName(payload.field)
    const prefix = `invalid ${payload.field}: `
    if (payload.message.startsWith(prefix)) payload.message = `invalid ${field}: ${payload.message.slice(prefix.length)}`
    payload.field = field
  }
  if (Array.isArray(payload.organizations)) withDates(payload.organizations)
  return new cls(payload.message, payload, inner === undefined ? undefined : { cause: inner })
}

/**
 * The error of a call its signal aborted, the signal's reason as `cause`: an `APITimeoutError`
 * when the reason is a timeout (`AbortSignal.timeout`), else a `RequestCancelledError`.
 * `payload` is the core's cancellation, with the attempts and time of the call and a bulk
 * call's `results`; `NOT_STARTED` for a signal that had aborted before the call began.
 */
function cancelledError(signal, payload = {}) {
  // The class, code and message are this function's choice.
  const { code: _code, className: _class, message: _message, ...attributes } = payload
  const options = { cause: signal?.reason }
  if (signal?.reason?.name === 'TimeoutError') {
    const after = attributes.elapsed == null ? '' : ` after ${Math.round(attributes.elapsed)} ms`
    return new APITimeoutError(`the call's signal timed out (AbortSignal.timeout)${after}`, attributes, options)
  }
  return new RequestCancelledError('the call was cancelled', attributes, options)
}

// napi's messages for a JS value of the wrong type: "Failed to convert JavaScript value `Number 42 `
// into rust type `String`" or "Failed to convert napi value String into rust type `f64`", with
// " on Struct.field" for a field of an object argument.
const CONVERSION =
  /^Failed to convert (?:JavaScript value `|napi value )(\w+)[^]*? into rust type `([^`]+)`(?: on \w+\.(\w+))?/
const JS_TYPES = { String: 'a string', f64: 'a number', u32: 'a number', bool: 'a boolean' }

function typeError(err) {
  const m = CONVERSION.exec(err.message)
  if (!m) return new TypeError(err.message)
  const [, got, rust, field] = m
  const expected = JS_TYPES[rust] ?? (rust.startsWith('Vec') ? 'an array' : 'an object')
  const what = field === undefined ? 'an argument' : camel(field)
  return new TypeError(`${what} must be ${expected}, got ${got.toLowerCase()}`)
}

// Statuses napi gives when a JS argument does not convert to the Rust type it maps to.
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
  if (typeof err.message === 'string' && err.message.startsWith(ERROR_PAYLOAD_MARKER)) {
    const payload = JSON.parse(err.message.slice(ERROR_PAYLOAD_MARKER.length))
    if (payload.code === 'cancelled' && signal?.aborted) return cancelledError(signal, payload)
    return fromPayload(payload)
  }
  if (CONVERSION_STATUSES.has(err.code)) return typeError(err)
  return err
}

/** What a call whose signal had aborted before it began spent: nothing. */
const NOT_STARTED = Object.freeze({ attempts: 0, elapsed: 0 })

module.exports = { classes, convertError, fromPayload, cancelledError, NOT_STARTED }
