// Types of the scaleway_partner package (checked by `npm run typecheck` against tests/types).

/** Status of an organization; values added by the API later come through as they are. */
export type OrganizationStatus = 'unknown_status' | 'opened' | 'locked' | 'closed' | (string & {})

/** Who placed the lock shown; `unknown_locked_by` when not locked. */
export type LockedBy = 'unknown_locked_by' | 'partner' | 'scaleway' | (string & {})

/** Order of a listing. */
export type OrderBy = 'created_at_asc' | 'created_at_desc' | (string & {})

/** A customer organization. Optional values are `null` when the API leaves them unset. */
export interface Organization {
  id: string
  name: string
  email: string
  status: OrganizationStatus
  lockedBy: LockedBy
  /** When the lock shown was placed (millisecond precision). */
  lockedAt: Date | null
  /** Why it is locked: `validate_email`, `locked_by_reseller`... */
  lockReasonMessage: string | null
  createdAt: Date | null
  /** The partner's own reference for this customer (used on invoices). */
  customerId: string
  ownerFirstname: string
  ownerLastname: string
  phoneNumber: string | null
  pictureLink: string | null
  sirenNumber: string | null
  comment: string
}

/** One page of a listing. */
export interface OrganizationPage {
  organizations: Organization[]
  /** How many organizations match in all; `null` when the API did not say. */
  totalCount: number | null
  /** This page's number (1-based). */
  page: number
  pageSize: number
  /**
   * Records of this page that could not be read as organizations (usually empty). Iterating a
   * listing yields every other one, then rejects with `UndecodableOrganizationsError`.
   */
  undecodable: UndecodableOrganization[]
}

/** A record of a listing that could not be read as an organization. */
export interface UndecodableOrganization {
  /** The page it was on (1-based). */
  page: number
  /** Its position on that page (0-based). */
  index: number
  /** Its `id`, when the record has a string `id`. */
  id: string | null
  /** Why it could not be read. */
  message: string
}

/** Options accepted as the last argument of every call. */
export interface RequestOptions {
  /** Aborting it cancels the call, which rejects with an `AbortError`. */
  signal?: AbortSignal | null
  /** Timeout of each attempt, in milliseconds (the client's otherwise). */
  timeout?: number | null
  /**
   * Limit of the whole call in milliseconds: every attempt, retry wait and lookup included
   * (the client's `totalTimeout` otherwise).
   */
  totalTimeout?: number | null
  /** Retries after the first attempt (the client's otherwise). */
  maxRetries?: number | null
}

/**
 * Settings of a client. What is not given is read from `SCW_*` variables and the scw
 * config.yaml (`SCW_SECRET_KEY`, `SCW_DEFAULT_ORGANIZATION_ID`, `SCW_API_URL`, `SCW_PROFILE`...).
 */
export interface ClientOptions {
  /** The secret key (a UUID). */
  secretKey?: string
  /** Not needed by this API; accepted for symmetry with other Scaleway tools. */
  accessKey?: string
  /** API base URL without trailing slash (`https://api.scaleway.com` by default). */
  apiUrl?: string
  /** The partner's own organization ID: the default `partnerId` and organization ID. */
  defaultOrganizationId?: string
  /** The config.yaml profile to read. */
  profile?: string
  /** Skips TLS certificate verification (test proxies only). */
  insecure?: boolean
  /** Timeout of each HTTP attempt in milliseconds (60000 by default). */
  timeout?: number
  /** Connect timeout in milliseconds (10000 by default). */
  connectTimeout?: number
  /**
   * Limit of a whole call in milliseconds, every attempt, retry wait and lookup included
   * (120000 by default). Past it a call fails with a `TimeoutError`, or a
   * `CreateUnconfirmedError` for a create that may have been applied.
   */
  totalTimeout?: number
  /**
   * How long a create whose answer was lost (gateway 5xx, timeout, reset) keeps looking for the
   * organization it may have made before rejecting with `CreateUnconfirmedError`, in
   * milliseconds (30000 by default; 0 looks once, at once).
   */
  createSettleTimeout?: number
  /**
   * Opt-in: post a create again when its outcome is still unknown at the end of the settle
   * window (if retries are left). Risks a permanent duplicate if the first request lands
   * later; `false` by default.
   */
  retryUnconfirmedCreates?: boolean
  /**
   * Allows a plain `http://` `apiUrl` to a host other than this machine (refused by default:
   * the secret key would cross the network in clear text). Loopback is always allowed.
   */
  allowInsecureHttp?: boolean
  /** Retries after the first attempt (4 by default; 0 disables retrying). */
  maxRetries?: number
  /** Rate budget shared by all calls of the client, requests per second (50; 0 = no pacing). */
  rateLimit?: number
  /** Pages fetched at once by `.all()` (4 by default). */
  pageConcurrency?: number
  /** Organizations handled at once by the bulk operations (8 by default). */
  bulkConcurrency?: number
  /**
   * PEM text of certificate authorities to trust besides the system's (a TLS-intercepting proxy,
   * a test server); certificates are still verified, host name included. Prefer it to `insecure`.
   */
  caCert?: string
  /**
   * Requests on the wire at once (32 by default): the connections opened stay about this many,
   * however many calls run at once; the others wait their turn.
   */
  maxConnections?: number
}

export interface CreateOrganizationParams {
  email: string
  organizationName: string
  ownerFirstname: string
  ownerLastname: string
  customerId: string
  /** Defaults to the client's `defaultOrganizationId`. */
  partnerId?: string
  phoneNumber?: string
  /** French SIREN number: 9 digits. */
  sirenNumber?: string
}

/** Only the fields given are changed. */
export interface UpdateOrganizationParams {
  email?: string
  name?: string
  ownerFirstname?: string
  ownerLastname?: string
  phoneNumber?: string
  customerId?: string
  comment?: string
}

export interface RequestAdminRoleParams {
  username: string
  email: string
  /** At most 72 characters; never logged. */
  password?: string
}

export interface ListOrganizationsFilters {
  /** `unknown_status` means any. */
  status?: OrganizationStatus
  /** Exact owner email (case-insensitive). */
  email?: string
  customerId?: string
  /** `unknown_locked_by` means anyone. */
  lockedBy?: LockedBy
  orderBy?: OrderBy
  /** 1 to 100 (100 by default). */
  pageSize?: number
}

/** How far a long operation has got. */
export interface Progress {
  /** Organizations fetched, or IDs processed, so far. */
  done: number
  /** How many in all, when known. */
  total: number | null
}

export interface ProgressOptions {
  /** Requests at once (the client's `pageConcurrency`/`bulkConcurrency` otherwise). */
  concurrency?: number
  /**
   * Called as the work advances, on the event loop. If it throws, the operation still
   * completes and its promise then rejects with that exception.
   */
  onProgress?: (progress: Progress) => void
}

/** Options of `client.audit()`. */
export interface AuditOptions {
  /** Report organizations waiting for email validation for more than this many days (7). */
  stuckAfterDays?: number
  /** Called as the listing advances, on the event loop; an exception rejects the audit once it is over. */
  onProgress?: (progress: Progress) => void
}

/** One organization in a finding of an audit. */
export interface AuditFinding {
  id: string
  name: string
  email: string
  customerId: string
  status: OrganizationStatus
  lockedBy: LockedBy
  lockReasonMessage: string | null
  createdAt: Date | null
  lockedAt: Date | null
  /** Days waiting (email validation) or locked (partner lock); `null` for findings without an age. */
  days: number | null
}

/** A customer ID or owner email used by several organizations. */
export interface AuditSharedValue {
  value: string
  /** Oldest first. */
  organizationIds: string[]
}

/** A value of `status`, `locked_by` or `lock_reason_message` this client does not know. */
export interface AuditUnknownValue {
  field: 'status' | 'locked_by' | 'lock_reason_message' | (string & {})
  value: string
  count: number
}

/** The audit of the partner's organizations. */
export interface AuditReport {
  /** The reference time of the ages. */
  generatedAt: Date
  stuckAfterDays: number
  /** Organizations audited. */
  total: number
  /** Count per status. */
  byStatus: Record<string, number>
  /** Count per `lockedBy`, of the locked organizations. */
  byLockedBy: Record<string, number>
  /** Count per lock reason. */
  byLockReason: Record<string, number>
  /** Waiting for the owner's email validation for more than `stuckAfterDays`, longest first. */
  stuckInEmailValidation: AuditFinding[]
  /** Locked by the partner, longest-locked first. */
  lockedByPartner: AuditFinding[]
  emptyCustomerId: AuditFinding[]
  missingPhoneNumber: AuditFinding[]
  /** Customer IDs used by several organizations, most used first. */
  sharedCustomerIds: AuditSharedValue[]
  /** Owner emails (case-insensitive) used by several organizations, most used first. */
  sharedEmails: AuditSharedValue[]
  /** `'YYYY-MM'` -> organizations created that month, every month from the first to the last, in order. */
  createdPerMonth: Record<string, number>
  unknownValues: AuditUnknownValue[]
  /** The organizations audited, oldest first. */
  organizations: Organization[]
}

/** One result of a bulk operation: the organization, or the error (returned, not thrown). */
export type BulkResult = Organization | ScalewayError

/** What `ensureOrganization` found or created. */
export interface EnsuredOrganization {
  organization: Organization
  /** True when this call created it; false when it existed already. */
  created: boolean
}

/** One result of `ensureOrganizations`: what was ensured, or the error (returned, not thrown). */
export type EnsureResult = EnsuredOrganization | ScalewayError

/**
 * A listing, fetched lazily: `for await (const org of list)`, `.pages()`, `.page(n)` or
 * `.all()`. Errors of the filters or options surface when it is used.
 */
export declare class OrganizationList implements AsyncIterable<Organization> {
  private constructor()
  /** One page (1-based) with the total count; a page past the end is empty. */
  page(page: number): Promise<OrganizationPage>
  /** Every matching organization, several pages at once, checked to be complete. */
  all(options?: ProgressOptions): Promise<Organization[]>
  /** The pages in order, each fetched when the previous one has been consumed. */
  pages(): AsyncGenerator<OrganizationPage, void, undefined>
  [Symbol.asyncIterator](): AsyncGenerator<Organization, void, undefined>
}

/** A client of the Partner API. Calls run concurrently on the addon's runtime. */
export declare class Client {
  /** Settings not given are read from `SCW_*` variables and the scw config.yaml. */
  constructor(options?: ClientOptions)
  /** A client configured from `SCW_*` variables and the scw config.yaml only. */
  static fromEnv(): Client
  readonly apiUrl: string
  readonly defaultOrganizationId: string | null
  readonly profile: string | null

  /**
   * Creates an organization; never a duplicate. After a failure that may have applied it (a
   * gateway 5xx, a timeout, a reset), it looks for it instead of posting again, and rejects
   * with `CreateUnconfirmedError` if it does not appear within `createSettleTimeout`.
   */
  createOrganization(params: CreateOrganizationParams, options?: RequestOptions): Promise<Organization>
  /**
   * The organization of `params.customerId`, created only if there is none (with the same
   * no-duplicate safety as `createOrganization`). Several with that customer ID, or one with
   * another owner email, is a `ConflictError` naming them, and nothing is created.
   */
  ensureOrganization(params: CreateOrganizationParams, options?: RequestOptions): Promise<EnsuredOrganization>
  /** `organizationId` defaults to the client's `defaultOrganizationId`. */
  getOrganization(organizationId?: string | null, options?: RequestOptions): Promise<Organization>
  /**
   * Changes only the fields given. `organizationId` is required: a change never falls back to
   * the default organization ID (a missing or empty one is a `ValidationError`, nothing sent).
   */
  updateOrganization(
    organizationId: string,
    params: UpdateOrganizationParams,
    options?: RequestOptions,
  ): Promise<Organization>
  /** Locks it (`lockedBy: 'partner'`); locking again refreshes `lockedAt`. `organizationId` is required. */
  lockOrganization(organizationId: string, options?: RequestOptions): Promise<Organization>
  /** Lifts the partner's lock; a lock of Scaleway's underneath stays. `organizationId` is required. */
  unlockOrganization(organizationId: string, options?: RequestOptions): Promise<Organization>
  /**
   * Invites a partner user as admin of the customer organization. `organizationId` is
   * required. Not sent again after a failure that may have applied it.
   */
  requestAdminRole(
    organizationId: string,
    params: RequestAdminRoleParams,
    options?: RequestOptions,
  ): Promise<void>
  listOrganizations(filters?: ListOrganizationsFilters, options?: RequestOptions): OrganizationList
  /**
   * Lists every organization (paced by the client's rate budget, several pages at once) and
   * audits them: counts, findings, shared values, growth per month, unknown values.
   */
  audit(auditOptions?: AuditOptions, options?: RequestOptions): Promise<AuditReport>
  /** One result per ID, in input order. */
  lockOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  unlockOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  getOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  /**
   * `ensureOrganization` for each request: one result per request, in input order. Requests
   * sharing a customer ID run one after the other, so a batch never races itself into a duplicate.
   */
  ensureOrganizations(
    requests: readonly CreateOrganizationParams[],
    bulkOptions?: ProgressOptions,
    options?: RequestOptions,
  ): Promise<EnsureResult[]>
}

/** Decodes an organization from the API's wire JSON (snake_case keys), as text or parsed. */
export declare function decodeOrganization(json: string | object): Organization

/** One entry of `details` of an `InvalidArgumentsError`. */
export interface InvalidArgumentDetail {
  argumentName: string
  /** `required`, `format` or `constraint`. */
  reason: string
  helpMessage: string
}

/** One entry of `details` of a `PermissionsDeniedError` or `QuotasExceededError`. */
export interface ResourceDetail {
  resource: string
  action?: string
  quota?: number
  current?: number
}

/** Attributes of every error of the package; those that do not apply are `null`. */
export interface ScalewayErrorAttributes {
  code?: string
  status?: number | null
  requestId?: string | null
  type?: string | null
  body?: string | null
  details?: Array<InvalidArgumentDetail | ResourceDetail> | null
  field?: string | null
  resource?: string | null
  resourceId?: string | null
  retryAfter?: number | null
  precondition?: string | null
  helpMessage?: string | null
  customerId?: string | null
  email?: string | null
  organizationIds?: string[] | null
  locationHost?: string | null
  undecodable?: UndecodableOrganization[] | null
  organizations?: Organization[] | null
}

/** Base of every error of the package. */
export declare class ScalewayError extends Error {
  constructor(message: string, attributes?: ScalewayErrorAttributes, options?: { cause?: unknown })
  /** Stable kind: `not_found`, `validation`, `timeout`, `cancelled`... */
  code: string
  /** HTTP status, when the API answered. */
  status: number | null
  /** `X-Request-Id` of the answer, for Scaleway's support. */
  requestId: string | null
  /** Scaleway's error `type` (`not_found`, `invalid_arguments`...). */
  type: string | null
  /** The raw body of the answer. */
  body: string | null
  /** Arguments at fault (invalid arguments) or resources (permissions, quotas); else null. */
  details: Array<InvalidArgumentDetail | ResourceDetail> | null
  /** The argument at fault, for a `ValidationError`. */
  field: string | null
  resource: string | null
  resourceId: string | null
  /** Seconds to wait before trying again, when the API said (429). */
  retryAfter: number | null
  /** The failed precondition (412). */
  precondition: string | null
  helpMessage: string | null
  /** The customer ID concerned (`CreateUnconfirmedError`, `ConflictError`). */
  customerId: string | null
  /** The owner email of an unconfirmed create. */
  email: string | null
  /** The organizations in the way (`ConflictError`). */
  organizationIds: string[] | null
  /** The host a refused redirect pointed to (`RedirectError`). */
  locationHost: string | null
  /** The records a listing could not read (`UndecodableOrganizationsError`). */
  undecodable: UndecodableOrganization[] | null
  /** The organizations that listing read (`.all()`; empty when iterating yielded them). */
  organizations: Organization[] | null
}
/** The API answered with an error status. */
export declare class APIError extends ScalewayError {}
export declare class InvalidArgumentsError extends APIError {
  details: InvalidArgumentDetail[]
}
export declare class ResourceNotFoundError extends APIError {}
export declare class DeniedAuthenticationError extends APIError {}
export declare class PermissionsDeniedError extends APIError {
  details: ResourceDetail[]
}
export declare class PreconditionFailedError extends APIError {}
export declare class ResourceLockedError extends APIError {}
export declare class TransientStateError extends APIError {}
export declare class AlreadyExistsError extends APIError {}
export declare class QuotasExceededError extends APIError {
  details: ResourceDetail[]
}
export declare class TooManyRequestsError extends APIError {}
export declare class ServerError extends APIError {}
/** An argument was refused before anything was sent; `field` names it. */
export declare class ValidationError extends ScalewayError {}
/** The client cannot be configured (missing or malformed secret key, bad URL...). */
export declare class ConfigurationError extends ScalewayError {}
export declare class TimeoutError extends ScalewayError {}
/** The connection failed (refused, reset, cut short...). */
export declare class TransportError extends ScalewayError {}
/** A success answer whose body cannot be decoded. */
export declare class UnexpectedResponseError extends ScalewayError {}
/** The call's `signal` was aborted; `cause` is the signal's reason. */
export declare class AbortError extends ScalewayError {}
/**
 * A create failed in a way that may have applied it (gateway 5xx, timeout, reset after
 * sending), and the organization did not appear within `createSettleTimeout`. It may still
 * appear: do not create it again blindly; call `ensureOrganization` with the same `customerId`
 * later. `cause` is the failure that left it unknown; `status` and `requestId` are the cause's.
 */
export declare class CreateUnconfirmedError extends ScalewayError {
  customerId: string
  email: string
  cause: ScalewayError
}
/** `ensureOrganization` found organizations with the customer ID that it cannot treat as the one asked for. */
export declare class ConflictError extends ScalewayError {
  customerId: string
  organizationIds: string[]
}
/** A listing kept changing while it was read (past the passes allowed), or its pages cannot be a listing. */
export declare class ListingChangedError extends ScalewayError {}
/** The API answered with a redirect, which is never followed (the secret key stays home). */
export declare class RedirectError extends ScalewayError {
  status: number
  /** The host of the `Location` header ('' when there was none). */
  locationHost: string
}
/**
 * A listing was read to its end but some records could not be read as organizations; nothing
 * else was lost: `undecodable` names each (page, index, id, why), `.all()` puts every
 * organization it read in `organizations`, and iteration yielded them before rejecting.
 */
export declare class UndecodableOrganizationsError extends UnexpectedResponseError {
  undecodable: UndecodableOrganization[]
  organizations: Organization[]
}
