// ESM entry: the same objects as the CommonJS entry, so `instanceof` agrees across both.
import cjs from './index.js'

export const {
  Client,
  OrganizationList,
  decodeOrganization,
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
} = cjs
