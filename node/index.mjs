// ESM entry: the same objects as the CommonJS entry, so `instanceof` agrees across both. ESM
// needs its names written out; tests/modules.test.mjs checks they are the CommonJS entry's, and
// tests/errors.test.mjs that the error classes are the core's table.
import cjs from './index.js'

export const {
  Client,
  OrganizationList,
  decodeOrganization,
  diffAudits,
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
  APITimeoutError,
  TransportError,
  UnexpectedResponseError,
  UndecodableOrganizationsError,
  RequestCancelledError,
  CreateUnconfirmedError,
  ConflictError,
  ListingChangedError,
  RedirectError,
  ProgressStoppedError,
  CoordinationError,
} = cjs
