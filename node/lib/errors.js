'use strict'
// The error classes of the cross-language contract, and the one place where rejections of the
// native addon become instances of them.

const { ERROR_PAYLOAD_MARKER } = require('../native.js')

const ATTRIBUTES = [
  'code',
  'status',
  'requestId',
  'type',
  'body',
  'details',
  'field',
  'resource',
  'resourceId',
  'retryAfter',
  'precondition',
  'helpMessage',
  'customerId',
  'email',
  'organizationIds',
  'locationHost',
  'undecodable',
  'organizations',
]

class ScalewayError extends Error {
  /**
   * @param {string} message
   * @param {object} [attributes] any of the contract attributes (code, status, requestId...)
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, attributes = {}, options = undefined) {
    super(message, options)
    for (const key of ATTRIBUTES) {
      this[key] = attributes[key] ?? null
    }
    if (this.code === null) this.code = defaultCode(new.target)
  }
}

class APIError extends ScalewayError {}
class InvalidArgumentsError extends APIError {}
class ResourceNotFoundError extends APIError {}
class DeniedAuthenticationError extends APIError {}
class PermissionsDeniedError extends APIError {}
class PreconditionFailedError extends APIError {}
class ResourceLockedError extends APIError {}
class TransientStateError extends APIError {}
class AlreadyExistsError extends APIError {}
class QuotasExceededError extends APIError {}
class TooManyRequestsError extends APIError {}
class ServerError extends APIError {}
class ValidationError extends ScalewayError {}
class ConfigurationError extends ScalewayError {}
class TimeoutError extends ScalewayError {}
class TransportError extends ScalewayError {}
class UnexpectedResponseError extends ScalewayError {}
class AbortError extends ScalewayError {}
class CreateUnconfirmedError extends ScalewayError {}
class ConflictError extends ScalewayError {}
class ListingChangedError extends ScalewayError {}
class RedirectError extends ScalewayError {}
class UndecodableOrganizationsError extends UnexpectedResponseError {}

// Core kind code -> class, as in the contract table.
const BY_CODE = {
  invalid_arguments: InvalidArgumentsError,
  not_found: ResourceNotFoundError,
  denied_authentication: DeniedAuthenticationError,
  permissions_denied: PermissionsDeniedError,
  precondition_failed: PreconditionFailedError,
  resource_locked: ResourceLockedError,
  transient_state: TransientStateError,
  already_exists: AlreadyExistsError,
  quotas_exceeded: QuotasExceededError,
  too_many_requests: TooManyRequestsError,
  server_error: ServerError,
  api_error: APIError,
  validation: ValidationError,
  configuration: ConfigurationError,
  timeout: TimeoutError,
  transport: TransportError,
  unexpected_response: UnexpectedResponseError,
  cancelled: AbortError,
  create_unconfirmed: CreateUnconfirmedError,
  conflict: ConflictError,
  listing_changed: ListingChangedError,
  redirect: RedirectError,
  undecodable_organizations: UndecodableOrganizationsError,
}

function defaultCode(cls) {
  for (const [code, c] of Object.entries(BY_CODE)) if (c === cls) return code
  return 'unknown'
}

const classes = {
  ScalewayError,
  APIError,
  InvalidArgumentsError,
  ResourceNotFoundError,
  DeniedAuthenticationError,
  PermissionsDeniedError,
  PreconditionFailedError,
  ResourceLockedError,
  TransientStateError,
  AlreadyExistsError,
  QuotasExceededError,
  TooManyRequestsError,
  ServerError,
  ValidationError,
  ConfigurationError,
  TimeoutError,
  TransportError,
  UnexpectedResponseError,
  AbortError,
  CreateUnconfirmedError,
  ConflictError,
  ListingChangedError,
  RedirectError,
  UndecodableOrganizationsError,
}

// `name` on the prototypes, like the built-in errors: not an own enumerable property.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', {
    value: name,
    writable: true,
    configurable: true,
  })
}

/**
 * An error instance from a payload of the addon. The failure behind it (an unconfirmed create's)
 * comes as a payload of its own and becomes the standard `cause`; otherwise `cause` is used.
 */
function fromPayload(payload, cause) {
  // A kind added to the core later still lands in the right branch of the hierarchy.
  const cls = BY_CODE[payload.code] ?? (payload.status != null ? APIError : ScalewayError)
  const inner = payload.cause == null ? cause : fromPayload(payload.cause, cause)
  if (Array.isArray(payload.organizations)) {
    // Organizations carried by the error: timestamps as `Date`s, as everywhere else.
    payload.organizations = payload.organizations.map((o) => ({
      ...o,
      lockedAt: o.lockedAt == null ? null : new Date(o.lockedAt),
      createdAt: o.createdAt == null ? null : new Date(o.createdAt),
    }))
  }
  return new cls(payload.message, payload, inner === undefined ? undefined : { cause: inner })
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
 * What a caller should see for an error thrown or rejected by the addon: a contract class, a
 * TypeError for an argument of the wrong type, or the error itself.
 * @param {unknown} err
 * @param {AbortSignal} [signal] the call's signal, whose reason becomes the AbortError's cause
 */
function convertError(err, signal) {
  if (!(err instanceof Error) || err instanceof ScalewayError) return err
  if (typeof err.message === 'string' && err.message.startsWith(ERROR_PAYLOAD_MARKER)) {
    const payload = JSON.parse(err.message.slice(ERROR_PAYLOAD_MARKER.length))
    return fromPayload(payload, payload.code === 'cancelled' ? signal?.reason : undefined)
  }
  if (CONVERSION_STATUSES.has(err.code)) return new TypeError(err.message)
  return err
}

/** The AbortError of a call whose signal is already aborted. */
function abortError(signal) {
  return new AbortError('the call was cancelled', { code: 'cancelled' }, { cause: signal.reason })
}

module.exports = { ...classes, classes, convertError, fromPayload, abortError }
