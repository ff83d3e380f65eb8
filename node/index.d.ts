// Types of the scaleway_partner package (checked by `npm run typecheck` against tests/types).

/** The statuses the API takes as a filter (a typo fails the type check). */
export type OrganizationStatusFilter = 'unknown_status' | 'opened' | 'locked' | 'closed'

/** Status of an organization; values added by the API later come through as they are. */
export type OrganizationStatus = OrganizationStatusFilter | (string & {})

/** The lock holders the API takes as a filter. */
export type LockedByFilter = 'unknown_locked_by' | 'partner' | 'scaleway'

/** Who placed the lock shown; `unknown_locked_by` when not locked. */
export type LockedBy = LockedByFilter | (string & {})

/** Order of a listing: the API's two values. */
export type OrderBy = 'created_at_asc' | 'created_at_desc'

/** A customer organization. Optional values are `null` when the API leaves them unset. */
export interface Organization {
  /** The organization ID (a UUID). */
  id: string
  /** The organization's name. */
  name: string
  /** The owner's email. */
  email: string
  /** Its status (`opened`, `locked`...). */
  status: OrganizationStatus
  /** Who placed the lock shown (`unknown_locked_by` when not locked). */
  lockedBy: LockedBy
  /** When the lock shown was placed (millisecond precision). */
  lockedAt: Date | null
  /** Why it is locked: `validate_email`, `locked_by_reseller`... */
  lockReasonMessage: string | null
  /** When it was created; `null` when the API did not say. */
  createdAt: Date | null
  /** The partner's own reference for this customer (used on invoices). */
  customerId: string
  /** The owner's first name. */
  ownerFirstname: string
  /** The owner's last name. */
  ownerLastname: string
  /** The owner's phone number. */
  phoneNumber: string | null
  /** URL of the organization's picture. */
  pictureLink: string | null
  /** French SIREN number (9 digits). */
  sirenNumber: string | null
  /** The partner's free-text comment (empty by default). */
  comment: string
  /**
   * The fields the API sent that this version does not know, as it spelt them (`{}` unless the
   * API is newer); `decodeOrganization` reads them back from `JSON.stringify(org)`.
   */
  extra: Record<string, unknown>
}

/** One page of a listing. */
export interface OrganizationPage {
  /** The organizations of this page, in the listing's order. */
  organizations: Organization[]
  /** How many organizations match in all; `null` when the API did not say. */
  totalCount: number | null
  /** This page's number (1-based). */
  page: number
  /** Organizations per page asked for (1 to 100). */
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
  /**
   * Aborting it cancels the call, which rejects with a `RequestCancelledError` (`name`
   * `'AbortError'`), or an `APITimeoutError` (`name` `'TimeoutError'`) for `AbortSignal.timeout`.
   */
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

import type {
  ClientOptions as NativeClientOptions,
  CreateOrganizationInput,
  RequestAdminRoleInput,
  ResponseInfo,
  TrafficEvent,
  UpdateOrganizationInput,
} from './native'
/** What a client logs: `off` (the default, or `SCALEWAY_PARTNER_LOG`), then more and more. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug'

/** Where a client logs (`console` by default); one line per call of a level's method. */
export interface Logger {
  /**
   * A failure the caller should see (logged from level `error`).
   * @example
   * ```ts
   * const client = new Client({ logLevel: 'error', logger: { ...console, error: (m) => console.error(`[partner] ${m}`) } })
   * ```
   */
  error(message: string): void
  /**
   * Something went wrong and was handled: a retry, a pause (from level `warn`).
   * @example
   * ```ts
   * const client = new Client({ logLevel: 'warn', logger: { ...console, warn: (m) => console.warn(`[partner] ${m}`) } })
   * ```
   */
  warn(message: string): void
  /**
   * One line a call: what it did (from level `info`).
   * @example
   * ```ts
   * const client = new Client({ logLevel: 'info', logger: { ...console, info: (m) => console.info(`[partner] ${m}`) } })
   * ```
   */
  info(message: string): void
  /**
   * Each attempt and answer (level `debug`).
   * @example
   * ```ts
   * const client = new Client({ logLevel: 'debug', logger: { ...console, debug: (m) => console.debug(`[partner] ${m}`) } })
   * ```
   */
  debug(message: string): void
}

/** Settings of `new Client(...)`: the addon's (bindings/node/src/client.rs) and the log's. */
export interface ClientOptions extends NativeClientOptions {
  /**
   * `warn`: retries; `info`: answers that failed too; `debug`: every request and answer.
   * `SCALEWAY_PARTNER_LOG` when not given, else `off`.
   */
  logLevel?: LogLevel
  /** Receives the log lines (`console` by default). */
  logger?: Logger
}
/** One event of a client's traffic, as its `hook` option receives it (durations in milliseconds). */
export type { TrafficEvent }
/** The optional fields of `createOrganization`, declared with the addon (bindings/node/src/requests.rs). */
export type { CreateOrganizationInput }
/** The fields `updateOrganization` changes, declared with the addon. */
export type { UpdateOrganizationInput }
/** The fields of `requestAdminRole`, declared with the addon. */
export type { RequestAdminRoleInput }
/** The metadata of a successful answer, as `withResponse()` gives it. */
export type { ResponseInfo }

/** What a method of `client.withResponse()` resolves to. */
export interface WithResponse<T> {
  /** What the method itself resolves to. */
  data: T
  /** The successful answer's status, request ID and headers. */
  response: ResponseInfo
}

/** The methods of `client.withResponse()`: the client's, resolving to `{ data, response }`. */
export type ResponseMethods = {
  [K in keyof Client as Client[K] extends (...args: never[]) => Promise<unknown> ? K : never]: Client[K] extends (
    ...args: infer A
  ) => Promise<infer R>
    ? (...args: A) => Promise<WithResponse<R>>
    : never
}

/**
 * What `createOrganization` and `ensureOrganization` create; the fields and their documentation
 * are the addon's (bindings/node/src/requests.rs), with the ones the API requires required.
 */
export type CreateOrganizationParams = CreateOrganizationInput &
  Required<Pick<CreateOrganizationInput, 'email' | 'organizationName' | 'ownerFirstname' | 'ownerLastname' | 'customerId'>>

/** What `updateOrganization` changes: only the fields given. */
export type UpdateOrganizationParams = UpdateOrganizationInput

/** The partner user `requestAdminRole` invites as admin. */
export type RequestAdminRoleParams = RequestAdminRoleInput & Required<Pick<RequestAdminRoleInput, 'username' | 'email'>>

/** Filters and order of `listOrganizations`; all optional. */
export interface ListOrganizationsFilters {
  /** `unknown_status` means any. */
  status?: OrganizationStatusFilter
  /** Exact owner email (case-insensitive). */
  email?: string
  /** Exact customer ID. */
  customerId?: string
  /** `unknown_locked_by` means anyone. */
  lockedBy?: LockedByFilter
  /** `created_at_asc` by default. */
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

/** Options of `.all()` and of the bulk operations. */
export interface ProgressOptions {
  /** Requests at once (the client's `pageConcurrency`/`bulkConcurrency` otherwise). */
  concurrency?: number
  /**
   * Called as the work advances, on the event loop; the work waits for it (for the promise of an
   * async one). If it throws (or rejects), nothing new starts, what is in flight finishes, and the
   * promise rejects with that exception.
   */
  onProgress?: ((progress: Progress) => void) | ((progress: Progress) => Promise<void>)
  /** Cancels the call (as the call's own `options.signal`, which it may replace). */
  signal?: AbortSignal | null
}

/**
 * One customer as the partner's records say it should be, with the API's field names (as a
 * CSV export's columns): `phoneNumber`-style keys are not read. `phone_number`, `siren_number`
 * and `comment` left out or empty are not managed.
 */
export interface CustomerRecord {
  /** The partner's own ID of the customer: the key that ties a record to its organization. */
  customer_id: string
  /** The owner's email. */
  email: string
  /** The organization's name. */
  organization_name: string
  /** The owner's first name. */
  owner_firstname: string
  /** The owner's last name. */
  owner_lastname: string
  /** The owner's phone number (E.164), if managed. */
  phone_number?: string | null
  /** The company's SIREN number (9 digits), if managed. */
  siren_number?: string | null
  /** The partner's comment on the organization, if managed. */
  comment?: string | null
  /** The owner's former email, when it changed: the explicit way to plan an email update. */
  previous_email?: string | null
  /** `active` (the default) or `suspended` (locked by the partner). */
  state?: 'active' | 'suspended' | null
}

/** Options of `client.plan()`. */
export interface PlanOptions {
  /** Also lock the organizations no record claims (off: they are only reported). */
  lockUnclaimed?: boolean
  /** Called as the listing advances; an exception stops the plan, which rejects with it. */
  onProgress?: (progress: Progress) => void
}

/** A field an action sets: its value in the book and after the action. */
export interface PlanFieldChange {
  /** The API's name of the field (`email`, `name`...). */
  field: string
  /** Its value in the book when the plan was made. */
  before: string | null
  /** Its value once the action is applied. */
  after: string | null
}

/** One action of a plan (the core's JSON document, snake_case as in Python). */
export interface PlanAction {
  /** What the action does. */
  kind: 'create' | 'update' | 'lock' | 'unlock'
  /** The customer it is for. */
  customer_id: string
  /** The organization it changes (none for a create). */
  organization_id?: string
  /** The organization's name, for display. */
  name: string
  /** The fields an update sets, each before and after. */
  changes?: PlanFieldChange[]
  /** `true`: lock it; `false`: lift the partner's lock (an update may carry one). */
  lock?: boolean
  /** The record a create is made from. */
  record?: CustomerRecord
  /** What the plan saw of the organization: apply refuses the action if it changed since. */
  seen?: Record<string, unknown>
}

/** An organization a plan reports without touching it. */
export interface PlanReported {
  /** The organization ID. */
  id: string
  /** Its customer ID (empty when none). */
  customer_id: string
  /** Its name. */
  name: string
  /** Its owner's email. */
  email: string
  /** Its status as the API spells it. */
  status: string
  /** Who locked it, as the API spells it (empty when not locked). */
  locked_by: string
}

/** `client.plan()`'s result: the versioned JSON document Python's `Plan.to_json()` writes. */
export interface Plan {
  /** The document's format version; a newer one is refused by `apply`. */
  version: number
  /** The plan's ID: a journal belongs to one plan. */
  id: string
  /** When the plan was made (RFC 3339). */
  created_at: string
  /** Organizations read from the book. */
  book_size: number
  /** Records planned from. */
  records: number
  /** For a plan of organizations picked (`report.planLock`, `planUnlock`): how many were picked. */
  picked?: number
  /** Records whose organization needs no change (organizations picked that the change leaves as they are). */
  unchanged: number
  /** What apply will do, one action per customer at most. */
  actions: PlanAction[]
  /** Customers the plan will not touch: several organizations, or another owner. */
  conflicts: {
    /** The customer. */
    customer_id: string
    /** The organizations in the way. */
    organization_ids: string[]
    /** Why nothing is planned for it. */
    reason: string
  }[]
  /** Organizations no record claims (reported; locked only with `lockUnclaimed`). */
  unclaimed: PlanReported[]
  /** Organizations locked by Scaleway (email validation): reported, not liftable. */
  scaleway_locked: PlanReported[]
}

/** Options of `client.apply()`. */
export interface ApplyOptions extends ProgressOptions {
  /** The journal file: an interrupted apply run again with it sends nothing twice. */
  journal?: string
}

/** One action's result. */
export interface ApplyResult {
  /** The action's position in the plan. */
  index: number
  /** What the action does. */
  kind: PlanAction['kind']
  /** The customer it is for. */
  customer_id: string
  /** The organization it changed or created, when known. */
  organization_id: string | null
  /** Its outcome: done now, done by an earlier run (the journal), refused as stale, failed, or not started. */
  status: 'done' | 'already_done' | 'stale' | 'failed' | 'not_started'
  /** For a stale action: each field that changed since the plan (`before` as planned, `after` now). */
  changed: PlanFieldChange[]
  /** Why a failed action failed. */
  error: {
    /** The error kind's code (`not_found`, `coordination`...). */
    code: string
    /** What went wrong. */
    message: string
  } | null
  /** What was done before the failure (a create done, its lock not), when anything was. */
  done_before_error: string | null
}

/** `client.apply()`'s result: one result per action of the plan, in plan order. */
export interface ApplyOutcome {
  /** The plan applied. */
  plan_id: string
  /** The outcome as text: counts, then each stale or failed action and why. */
  text: string
  /** One result per action, in plan order. */
  results: ApplyResult[]
  /** Always null: an interrupted apply rejects, the outcome so far in the error's `outcome`. */
  interrupted: null
}

/** Options of `client.audit()`. */
export interface AuditOptions {
  /** Report organizations waiting for email validation for more than this many days (7). */
  stuckAfterDays?: number
  /**
   * Called as the listing advances, on the event loop, the listing waiting for it (for the promise
   * of an async one); an exception (or rejection) stops the audit, which rejects with it.
   */
  onProgress?: ((progress: Progress) => void) | ((progress: Progress) => Promise<void>)
}

/** One organization in a finding of an audit. */
export interface AuditFinding {
  /** The organization ID. */
  id: string
  /** The organization's name. */
  name: string
  /** The owner's email. */
  email: string
  /** The partner's reference for the customer. */
  customerId: string
  /** The organization's status. */
  status: OrganizationStatus
  /** Who placed the lock shown. */
  lockedBy: LockedBy
  /** Why it is locked. */
  lockReasonMessage: string | null
  /** When it was created. */
  createdAt: Date | null
  /** When the lock shown was placed. */
  lockedAt: Date | null
  /** Days waiting (email validation) or locked (partner lock); `null` for findings without an age. */
  days: number | null
}

/** A customer ID or owner email used by several organizations. */
export interface AuditSharedValue {
  /** The customer ID or owner email. */
  value: string
  /** Oldest first. */
  organizationIds: string[]
  /** The same organizations with their names and statuses. */
  organizations: AuditSharedMember[]
}

/** An organization of a shared customer ID or email. */
export interface AuditSharedMember {
  /** The organization's ID. */
  id: string
  /** Its name. */
  name: string
  /** Its owner's email. */
  email: string
  /** The partner's reference for the customer. */
  customerId: string
  /** Its status. */
  status: OrganizationStatus
}

/** A value of `status`, `locked_by` or `lock_reason_message` this client does not know. */
export interface AuditUnknownValue {
  /** The field it was found in. */
  field: 'status' | 'locked_by' | 'lock_reason_message' | (string & {})
  /** The value this client does not know. */
  value: string
  /** Organizations with it. */
  count: number
}

/** The audit of the partner's organizations. */
export interface AuditReport {
  /** Version of the report's form. */
  version: number
  /** The reference time of the ages. */
  generatedAt: Date
  /** The threshold of `stuckInEmailValidation`, in days. */
  stuckAfterDays: number
  /** Organizations audited. */
  total: number
  /** Count per status. */
  byStatus: Record<string, number>
  /** Count per `lockedBy`, of the locked organizations. */
  byLockedBy: Record<string, number>
  /** Count per lock reason. */
  byLockReason: Record<string, number>
  /** Closed organizations, oldest first: in no problem list. */
  closed: AuditFinding[]
  /** Waiting for the owner's email validation for more than `stuckAfterDays`, longest first. */
  stuckInEmailValidation: AuditFinding[]
  /** Locked by the partner, longest-locked first. */
  lockedByPartner: AuditFinding[]
  /** Organizations without a customer ID. */
  emptyCustomerId: AuditFinding[]
  /** Organizations without a phone number. */
  missingPhoneNumber: AuditFinding[]
  /** Customer IDs used by several organizations, most used first. */
  sharedCustomerIds: AuditSharedValue[]
  /** Owner emails (case-insensitive) used by several organizations, most used first. */
  sharedEmails: AuditSharedValue[]
  /** `'YYYY-MM'` -> organizations created that month, every month from the first to the last, in order. */
  createdPerMonth: Record<string, number>
  /** Values of `status`, `locked_by` or `lock_reason_message` this client does not know. */
  unknownValues: AuditUnknownValue[]
  /** The organizations audited, oldest first. */
  organizations: Organization[]
  /**
   * What changed since `previous`, an earlier audit of the same book (not enumerable).
   *
   * @example
   * ```js
   * const changes = (await client.audit()).diff(lastWeek)
   * ```
   */
  diff(previous: AuditReport): AuditDiff
  /**
   * The dry run of locking the organizations picked (IDs, or findings and organizations of
   * this report), as this audit saw them: a plan whose actions are exactly the organizations
   * the lock would change. Computed by the core; nothing is sent. `client.apply(plan)`
   * carries it out, refusing an organization that changed since the audit. Not enumerable.
   *
   * @example
   * ```js
   * const preview = report.planLock(report.sharedEmails.flatMap((s) => s.organizationIds))
   * await client.apply(preview)
   * ```
   */
  planLock(selection: ReadonlyArray<string | { readonly id: string }>): Plan
  /**
   * The dry run of lifting the partner's lock of the organizations picked: the actions are
   * exactly those locked by the partner (Scaleway's own lock is not the partner's to lift).
   * Nothing is sent; see `planLock`. Not enumerable.
   *
   * @example
   * ```js
   * const preview = report.planUnlock(report.lockedByPartner.slice(0, 10))
   * await client.apply(preview)
   * ```
   */
  planUnlock(selection: ReadonlyArray<string | { readonly id: string }>): Plan
}

/** An organization whose status, lock holder or lock reason changed between two audits. */
export interface AuditStatusChange {
  /** The organization's ID. */
  id: string
  /** The name now. */
  name: string
  /** The status in the earlier audit. */
  previousStatus: string
  /** The status now. */
  status: string
  /** Who held the lock in the earlier audit. */
  previousLockedBy: string
  /** Who holds the lock now. */
  lockedBy: string
  /** The lock's reason in the earlier audit. */
  previousLockReasonMessage: string | null
  /** The lock's reason now. */
  lockReasonMessage: string | null
}

/** The changes from an earlier audit to a later one (`report.diff(previous)`). */
export interface AuditDiff {
  /** The version of the audit's saved form this diff follows. */
  version: number
  /** When the earlier audit was made. */
  previousGeneratedAt: Date
  /** When the later audit was made. */
  generatedAt: Date
  /** Organizations in the earlier audit. */
  previousTotal: number
  /** Organizations in the later audit. */
  total: number
  /** Not in the earlier audit, oldest first. */
  newOrganizations: AuditFinding[]
  /** In the earlier audit, gone now (as they were). */
  removedOrganizations: AuditFinding[]
  /** Locked by the partner now, not before; longest-locked first. */
  newPartnerLocks: AuditFinding[]
  /** Locked by the partner before, not now: as the organization is now (it may still be locked by Scaleway). */
  liftedPartnerLocks: AuditFinding[]
  /** Stuck in email validation now, not before. */
  newlyStuck: AuditFinding[]
  /** Customer IDs newly shared, or shared with more organizations than before. */
  newSharedCustomerIds: AuditSharedValue[]
  /** Owner emails newly shared, or shared with more organizations than before. */
  newSharedEmails: AuditSharedValue[]
  /** Organizations in both audits whose status, lock holder or lock reason changed. */
  statusChanges: AuditStatusChange[]
}

/** One result of a bulk operation: the organization, or the error (returned, not thrown). */
export type BulkResult = Organization | ScalewayError

/** What `ensureOrganization` found or created. */
export interface EnsuredOrganization {
  /** The organization found or created. */
  organization: Organization
  /** True when this call created it; false when it existed already. */
  created: boolean
}

/** One result of `ensureOrganizations`: what was ensured, or the error (returned, not thrown). */
export type EnsureResult = EnsuredOrganization | ScalewayError

/**
 * A listing, fetched lazily: `for await (const org of list)`, `.pages()`, `.page(n)` or
 * `.all()`; awaiting it gives page 1. Bad filters or options throw at `listOrganizations(...)`.
 * @example
 * ```ts
 * const list = client.listOrganizations({ status: 'locked' })
 * for await (const org of list) console.log(org.name, org.lockedBy)
 * ```
 */
export declare class OrganizationList implements AsyncIterable<Organization>, PromiseLike<OrganizationPage> {
  private constructor()
  /**
   * One page (1-based) with the total count; a page past the end is empty.
   * @example
   * ```ts
   * const { organizations, totalCount } = await client.listOrganizations().page(1)
   * console.log(`${organizations.length} of ${totalCount}`)
   * ```
   */
  page(page: number): Promise<OrganizationPage>
  /**
   * Every matching organization, several pages at once, checked to be complete.
   * @example
   * ```ts
   * const locked = await client
   *   .listOrganizations({ status: 'locked' })
   *   .all({ concurrency: 4, onProgress: ({ done, total }) => console.log(`${done}/${total ?? '?'}`) })
   * ```
   */
  all(options?: ProgressOptions): Promise<Organization[]>
  /**
   * The pages in order, each fetched when the previous one has been consumed.
   * @example
   * ```ts
   * for await (const page of client.listOrganizations({ pageSize: 50 }).pages()) {
   *   console.log(page.page, page.organizations.length, page.totalCount)
   * }
   * ```
   */
  pages(): AsyncGenerator<OrganizationPage, void, undefined>
  /**
   * The organizations in order, the pages fetched as they are consumed (`pageConcurrency` - 1 ahead at most).
   * @example
   * ```ts
   * for await (const org of client.listOrganizations({ lockedBy: 'partner' })) {
   *   console.log(org.id, org.lockedAt)
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncGenerator<Organization, void, undefined>
  /**
   * Awaiting a listing gives its first page, as `.page(1)` does.
   * @example
   * ```ts
   * const { organizations, totalCount } = await client.listOrganizations({ status: 'locked' })
   * ```
   */
  then<T = OrganizationPage, E = never>(
    onfulfilled?: ((page: OrganizationPage) => T | PromiseLike<T>) | null,
    onrejected?: ((reason: unknown) => E | PromiseLike<E>) | null,
  ): Promise<T | E>
}

/**
 * A client of the Partner API. Calls run concurrently on the addon's runtime.
 * @example
 * ```ts
 * import { Client } from 'scaleway_partner'
 *
 * const client = new Client({ timeout: 10_000, maxRetries: 6 })
 * const org = await client.getOrganization('6f4049e3-5910-4283-bb02-382ef15aa460')
 * console.log(org.name, org.status)
 * ```
 */
export declare class Client {
  /**
   * Settings not given are read from `SCW_*` variables and the scw config.yaml.
   * @example
   * ```ts
   * const client = new Client({ profile: 'reseller', totalTimeout: 60_000 })
   * ```
   */
  constructor(options?: ClientOptions)
  /**
   * A client configured from `SCW_*` variables and the scw config.yaml only.
   * @example
   * ```ts
   * process.env.SCW_PROFILE = 'reseller'
   * const client = Client.fromEnv()
   * ```
   */
  static fromEnv(): Client
  /**
   * Closes the client: calls in flight and later ones reject with a `RequestCancelledError`.
   * @example
   * ```ts
   * await using client = new Client() // closed at the end of the block
   * ```
   */
  close(): Promise<void>
  /**
   * Closes the client, as `close()`: what `await using` calls at the end of the block.
   * @example
   * ```ts
   * {
   *   await using client = new Client()
   *   await client.getOrganization()
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>
  /** True once `close()` was called. */
  readonly closed: boolean
  /**
   * The client's methods (all but `listOrganizations`), each resolving to `{ data, response }`:
   * the result and the successful answer's `status`, `requestId` and `headers`.
   * @example
   * ```ts
   * const { data: org, response } = await client.withResponse().getOrganization(id)
   * console.log(org.name, response.requestId, response.headers['x-request-id'])
   * ```
   */
  withResponse(): ResponseMethods
  /** The API base URL the client calls, without trailing slash. */
  readonly apiUrl: string
  /** The partner's own organization ID (`SCW_DEFAULT_ORGANIZATION_ID`), or `null`. */
  readonly defaultOrganizationId: string | null
  /** The config.yaml profile read, or `null`. */
  readonly profile: string | null

  /**
   * Creates an organization; never a duplicate. After a failure that may have applied it (a
   * gateway 5xx, a timeout, a reset), it looks for it instead of posting again, and rejects
   * with `CreateUnconfirmedError` if it does not appear within `createSettleTimeout`. Creates
   * and ensures for one customer ID never overlap: a second create waits for the first to
   * finish, then creates another organization (use `ensureOrganization` for one per customer).
   * @example
   * ```ts
   * const org = await client.createOrganization({
   *   email: 'owner@example.com',
   *   organizationName: 'Acme',
   *   ownerFirstname: 'Jane',
   *   ownerLastname: 'Doe',
   *   customerId: 'customer-42',
   * })
   * console.log(org.id, org.status) // locked by Scaleway until the owner validates the email
   * ```
   */
  createOrganization(params: CreateOrganizationParams, options?: RequestOptions): Promise<Organization>
  /**
   * The organization of `params.customerId`, created only if there is none (with the same
   * no-duplicate safety as `createOrganization`). Several with that customer ID, or one with
   * another owner email, is a `ConflictError` naming them, and nothing is created. Calls for one
   * customer never overlap (across clients and, by default, the processes of the machine: see
   * the `coordination` option): a second one waits for the first and finds its organization.
   * @example
   * ```ts
   * const { organization, created } = await client.ensureOrganization({
   *   email: 'owner@example.com',
   *   organizationName: 'Acme',
   *   ownerFirstname: 'Jane',
   *   ownerLastname: 'Doe',
   *   customerId: 'customer-42',
   * })
   * console.log(created ? 'created' : 'already there', organization.id)
   * ```
   */
  ensureOrganization(params: CreateOrganizationParams, options?: RequestOptions): Promise<EnsuredOrganization>
  /**
   * `id` defaults to the client's `defaultOrganizationId`.
   * @example
   * ```ts
   * const org = await client.getOrganization('6f4049e3-5910-4283-bb02-382ef15aa460')
   * console.log(org.name, org.customerId)
   * ```
   */
  getOrganization(id?: string | null, options?: RequestOptions): Promise<Organization>
  /**
   * Changes only the fields given. `id` is required: a change never falls back to
   * the default organization ID (a missing or empty one is a `ValidationError`, nothing sent).
   * @example
   * ```ts
   * const org = await client.updateOrganization(id, { comment: 'moved to the annual plan' })
   * ```
   */
  updateOrganization(
    id: string,
    params: UpdateOrganizationParams,
    options?: RequestOptions,
  ): Promise<Organization>
  /**
   * Locks it (`lockedBy: 'partner'`); locking again refreshes `lockedAt`. `id` is required.
   * @example
   * ```ts
   * const org = await client.lockOrganization(id)
   * console.log(org.lockedBy, org.lockedAt) // 'partner', a Date
   * ```
   */
  lockOrganization(id: string, options?: RequestOptions): Promise<Organization>
  /**
   * Lifts the partner's lock; a lock of Scaleway's underneath stays. `id` is required.
   * @example
   * ```ts
   * const org = await client.unlockOrganization(id, { signal: AbortSignal.timeout(5_000) })
   * ```
   */
  unlockOrganization(id: string, options?: RequestOptions): Promise<Organization>
  /**
   * Invites a partner user as admin of the customer organization. `id` is
   * required. Not sent again after a failure that may have applied it.
   * @example
   * ```ts
   * await client.requestAdminRole(id, { username: 'support', email: 'support@partner.example' })
   * ```
   */
  requestAdminRole(
    id: string,
    params: RequestAdminRoleParams,
    options?: RequestOptions,
  ): Promise<void>
  /**
   * The organizations matching the filters, fetched lazily (nothing is sent until the listing is used).
   * @example
   * ```ts
   * for await (const org of client.listOrganizations({ lockedBy: 'partner', pageSize: 100 })) {
   *   console.log(org.name, org.lockedAt)
   * }
   * ```
   */
  listOrganizations(filters?: ListOrganizationsFilters, options?: RequestOptions): OrganizationList
  /**
   * Lists every organization (paced by the client's rate budget, several pages at once) and
   * audits them: counts, findings, shared values, growth per month, unknown values.
   * @example
   * ```ts
   * const report = await client.audit({ stuckAfterDays: 14 })
   * console.log(report.total, report.lockedByPartner.length, report.byStatus)
   * ```
   */
  audit(auditOptions?: AuditOptions, options?: RequestOptions): Promise<AuditReport>
  /**
   * One result per ID, in input order.
   * @example
   * ```ts
   * const results = await client.lockOrganizations(ids, { concurrency: 4 })
   * results.forEach((r, i) => console.log(ids[i], r instanceof Error ? r.code : r.lockedBy))
   * ```
   */
  lockOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  /**
   * Unlocks every organization; one result per ID, in input order.
   * @example
   * ```ts
   * const results = await client.unlockOrganizations(ids, { concurrency: 4 })
   * const failed = results.filter((r) => r instanceof Error)
   * ```
   */
  unlockOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  /**
   * Gets every organization; one result per ID, in input order.
   * @example
   * ```ts
   * const results = await client.getOrganizations(ids)
   * const found = results.filter((r): r is Organization => !(r instanceof Error))
   * ```
   */
  getOrganizations(ids: readonly string[], bulkOptions?: ProgressOptions, options?: RequestOptions): Promise<BulkResult[]>
  /**
   * `ensureOrganization` for each request: one result per request, in input order. Requests
   * sharing a customer ID never overlap (as any two ensures for one customer): the first
   * creates, the next find it.
   * @example
   * ```ts
   * const results = await client.ensureOrganizations([
   *   { email: 'ann@example.com', organizationName: 'Lee Consulting', ownerFirstname: 'Ann', ownerLastname: 'Lee', customerId: 'c-1' },
   * ])
   * for (const r of results) console.log(r instanceof Error ? r.code : r.created)
   * ```
   */
  ensureOrganizations(
    requests: readonly CreateOrganizationParams[],
    bulkOptions?: ProgressOptions,
    options?: RequestOptions,
  ): Promise<EnsureResult[]>
  /**
   * Plans the records against the book read with one complete listing: per customer, create,
   * update, lock or unlock, and apart the conflicts, the unclaimed organizations and
   * Scaleway's locks. An invalid record rejects with a `ValidationError` naming the row and
   * the field, before anything is sent.
   * @example
   * ```ts
   * const plan = await client.plan(records)
   * console.log(plan.actions.length, plan.conflicts)
   * ```
   */
  plan(records: readonly CustomerRecord[], planOptions?: PlanOptions, options?: RequestOptions): Promise<Plan>
  /**
   * Carries a plan out (creates by `ensureOrganization`, stale actions refused), recording each
   * action in `journal` before and after it is sent. Aborted (`signal`) or past its
   * `totalTimeout`, it rejects with a `RequestCancelledError` or an `APITimeoutError` whose
   * `outcome` says what was done, failed and not started; run again with the same plan and
   * journal, it resumes without repeating anything.
   * @example
   * ```ts
   * const outcome = await client.apply(plan, { journal: 'apply.journal', onProgress: (p) => console.log(p.done) })
   * ```
   */
  apply(plan: Plan, applyOptions?: ApplyOptions, options?: RequestOptions): Promise<ApplyOutcome>
}

/**
 * Decodes an organization, as text or parsed: the API's wire JSON (snake_case keys) or what
 * `JSON.stringify` made of an `Organization` (camelCase keys, ISO dates, `extra`), which comes
 * back equal. A value it cannot read throws a `ValidationError` naming the `field`.
 * @example
 * ```ts
 * const org = decodeOrganization({ id: '6f4049e3-5910-4283-bb02-382ef15aa460', name: 'Acme', status: 'opened' })
 * console.log(org.name, org.status)
 * const again = decodeOrganization(JSON.parse(JSON.stringify(org))) // equal to org
 * ```
 */
export declare function decodeOrganization(json: string | object): Organization

/**
 * What changed from `previous` to `report`, two results of `client.audit()` (the same as
 * `report.diff(previous)`).
 *
 * @example
 * ```js
 * const changes = diffAudits(await client.audit(), lastWeek)
 * ```
 */
export declare function diffAudits(report: AuditReport, previous: AuditReport): AuditDiff

/** One entry of `details` of an `InvalidArgumentsError`. */
export interface InvalidArgumentDetail {
  /** The argument at fault. */
  argumentName: string
  /** `required`, `format` or `constraint`. */
  reason: string
  /** What the API says to do. */
  helpMessage: string
}

/** One entry of `details` of a `PermissionsDeniedError` or `QuotasExceededError`. */
export interface ResourceDetail {
  /** The resource concerned (`organization`...). */
  resource: string
  /** The action denied (permissions). */
  action?: string
  /** The quota reached (quotas). */
  quota?: number
  /** The current use (quotas). */
  current?: number
}

/**
 * Base of every error of the package. Each class declares the attributes its kind adds (the
 * core's error table); an attribute of another class reads as `null`.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof ScalewayError)) throw err
 *   console.log(err.code, err.message)
 * }
 * ```
 */
export declare class ScalewayError extends Error {
  /**
   * An error of the package; the attributes of its class not given are `null`. An attribute of
   * another class reads as `null` too (code that handles every error alike still can).
   * @example
   * ```ts
   * throw new ValidationError('customerId must not be empty', { field: 'customerId' })
   * ```
   */
  constructor(message: string, attributes?: { code?: string; [attribute: string]: unknown }, options?: { cause?: unknown })
  /** Stable kind: `not_found`, `validation`, `timeout`, `cancelled`... */
  code: string
}
/**
 * The API answered with an error status.
 * @example
 * ```ts
 * try {
 *   await client.lockOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof APIError)) throw err
 *   console.log(err.status, err.type, err.requestId)
 * }
 * ```
 */
export declare class APIError extends ScalewayError {
  /** HTTP status, when the API answered. */
  status: number
  /** `X-Request-Id` of the answer, for Scaleway's support. */
  requestId: string | null
  /** Scaleway's error `type` (`not_found`, `invalid_arguments`...). */
  type: string | null
  /** The raw body of the answer. */
  body: string
  /** Milliseconds to wait before trying again, when the API said (429). */
  retryAfter: number | null
}
/**
 * 400 `invalid_arguments`: `details` names each argument and why.
 * @example
 * ```ts
 * try {
 *   await client.createOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof InvalidArgumentsError)) throw err
 *   for (const d of err.details) console.log(d.argumentName, d.reason)
 * }
 * ```
 */
export declare class InvalidArgumentsError extends APIError {
  /** The arguments at fault, as the API named them. */
  details: InvalidArgumentDetail[]
}
/**
 * 404 `not_found`: no such organization.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization('6f4049e3-5910-4283-bb02-382ef15aa460')
 * } catch (err) {
 *   if (!(err instanceof ResourceNotFoundError)) throw err
 *   console.log('gone', err.requestId)
 * }
 * ```
 */
export declare class ResourceNotFoundError extends APIError {
  /** The resource concerned (`organization`...), when the API said. */
  resource: string | null
  /** The ID of the resource concerned, when the API said. */
  resourceId: string | null
}
/**
 * 401 `denied_authentication`: missing, malformed or unknown secret key.
 * @example
 * ```ts
 * try {
 *   await new Client({ secretKey: revokedKey }).getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof DeniedAuthenticationError)) throw err
 *   console.log('check SCW_SECRET_KEY', err.status)
 * }
 * ```
 */
export declare class DeniedAuthenticationError extends APIError {}
/**
 * 403 `permissions_denied`: the key lacks a permission (`details` says which).
 * @example
 * ```ts
 * try {
 *   await client.lockOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof PermissionsDeniedError)) throw err
 *   console.log(err.details) // needs ResellerFullAccess
 * }
 * ```
 */
export declare class PermissionsDeniedError extends APIError {
  /** The resources and actions the key may not use. */
  details: ResourceDetail[]
}
/**
 * 412 `precondition_failed`: `precondition` says which (unlocking a lock that is not the partner's...).
 * @example
 * ```ts
 * try {
 *   await client.unlockOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof PreconditionFailedError)) throw err
 *   console.log(err.precondition, err.helpMessage)
 * }
 * ```
 */
export declare class PreconditionFailedError extends APIError {
  /** The failed precondition (412). */
  precondition: string | null
  /** What the API says to do about it, when it said. */
  helpMessage: string | null
}
/**
 * 423 `locked`: the organization is locked against this change.
 * @example
 * ```ts
 * try {
 *   await client.updateOrganization(id, { name: 'Acme SAS' })
 * } catch (err) {
 *   if (!(err instanceof ResourceLockedError)) throw err
 *   console.log(err.resource, err.resourceId)
 * }
 * ```
 */
export declare class ResourceLockedError extends APIError {
  /** The resource concerned (`organization`...), when the API said. */
  resource: string | null
  /** The ID of the resource concerned, when the API said. */
  resourceId: string | null
}
/**
 * 409 `transient_state`: the organization is changing; try again later.
 * @example
 * ```ts
 * try {
 *   await client.lockOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof TransientStateError)) throw err
 *   console.log('busy, try later', err.resourceId)
 * }
 * ```
 */
export declare class TransientStateError extends APIError {
  /** The resource concerned (`organization`...), when the API said. */
  resource: string | null
  /** The ID of the resource concerned, when the API said. */
  resourceId: string | null
}
/**
 * 409 `already_exists`: a resource with that identity exists.
 * @example
 * ```ts
 * try {
 *   await client.createOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof AlreadyExistsError)) throw err
 *   console.log(err.resource, err.helpMessage)
 * }
 * ```
 */
export declare class AlreadyExistsError extends APIError {
  /** The resource concerned (`organization`...), when the API said. */
  resource: string | null
  /** The ID of the resource concerned, when the API said. */
  resourceId: string | null
}
/**
 * 403 `quotas_exceeded`: a quota of the partner is reached (`details` says which).
 * @example
 * ```ts
 * try {
 *   await client.createOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof QuotasExceededError)) throw err
 *   for (const d of err.details) console.log(d.resource, d.current, d.quota)
 * }
 * ```
 */
export declare class QuotasExceededError extends APIError {
  /** The quotas reached, with their limits and current use. */
  details: ResourceDetail[]
}
/**
 * 429: the rate limit was hit and retries ran out; `retryAfter` is in milliseconds.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization(id, { maxRetries: 0 })
 * } catch (err) {
 *   if (!(err instanceof TooManyRequestsError)) throw err
 *   console.log('retry in', err.retryAfter, 'ms')
 * }
 * ```
 */
export declare class TooManyRequestsError extends APIError {
  /** What the API says to do about it, when it said. */
  helpMessage: string | null
}
/**
 * 5xx: the API failed, and retries ran out.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof ServerError)) throw err
 *   console.log(err.status, err.requestId)
 * }
 * ```
 */
export declare class ServerError extends APIError {}
/**
 * An argument was refused before anything was sent; `field` names it as the call spells it
 * (`id`, `pageSize`, `organizationName`...).
 * @example
 * ```ts
 * try {
 *   await client.lockOrganization('')
 * } catch (err) {
 *   if (!(err instanceof ValidationError)) throw err
 *   console.log(err.field) // 'id'
 * }
 * ```
 */
export declare class ValidationError extends ScalewayError {
  /** The argument at fault, for a `ValidationError`. */
  field: string
}
/**
 * The client cannot be configured (missing or malformed secret key, bad URL...).
 * @example
 * ```ts
 * try {
 *   new Client({ secretKey: 'not-a-uuid' })
 * } catch (err) {
 *   if (!(err instanceof ConfigurationError)) throw err
 *   console.log(err.message)
 * }
 * ```
 */
export declare class ConfigurationError extends ScalewayError {}
/**
 * An attempt or the whole call (`totalTimeout`, or the call's `AbortSignal.timeout`) took too
 * long. Its `name` is `'TimeoutError'`, as for `fetch`; `attempts` and `elapsed` (milliseconds)
 * say what the call spent. A bulk call past its `totalTimeout` has its items in `results`, as a
 * cancelled one does (`null` for the items never started). A call that the key's rate-limit
 * pause would hold past its deadline fails at once, with `attempts` 0.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization(id, { timeout: 500, maxRetries: 0 })
 * } catch (err) {
 *   if (!(err instanceof APITimeoutError)) throw err
 *   console.log(err.name, err.attempts, err.elapsed) // 'TimeoutError' 1 503
 * }
 * ```
 */
export declare class APITimeoutError extends ScalewayError {
  /** Attempts a timed-out call made (`APITimeoutError`). */
  attempts: number | null
  /** Milliseconds a timed-out call took in all (`APITimeoutError`). */
  elapsed: number | null
  /** A bulk call's results so far, when it was cut short (`RequestCancelledError`, `APITimeoutError`). */
  results: Array<BulkResult | EnsureResult | null> | null
  /** An apply cut short (aborted, past its `totalTimeout`): what was done, failed and not started. */
  outcome: ApplyOutcome | null
}
/**
 * The connection failed (refused, reset, cut short...). Its `cause`, when the system named the
 * failure, is an `Error` whose `code` is that name (`ECONNREFUSED`, `ETIMEDOUT`, `ENOTFOUND`...),
 * as for Node's own network errors.
 * @example
 * ```ts
 * try {
 *   await new Client({ apiUrl: 'http://127.0.0.1:9' }).getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof TransportError)) throw err
 *   console.log(err.message, (err.cause as NodeJS.ErrnoException | undefined)?.code)
 * }
 * ```
 */
export declare class TransportError extends ScalewayError {}
/**
 * A success answer whose body cannot be decoded.
 * @example
 * ```ts
 * try {
 *   await client.getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof UnexpectedResponseError)) throw err
 *   console.log(err.body)
 * }
 * ```
 */
export declare class UnexpectedResponseError extends ScalewayError {
  /** HTTP status, when the API answered. */
  status: number | null
  /** `X-Request-Id` of the answer, for Scaleway's support. */
  requestId: string | null
  /** The raw body of the answer. */
  body: string | null
}
/**
 * The call's `signal` was aborted; `cause` is the signal's reason, `name` is `'AbortError'` as
 * for `fetch`. A bulk call cut short this way carries `results`: one entry per input, in order,
 * the item's result or error, or `null` for an item that was never started.
 * @example
 * ```ts
 * const controller = new AbortController()
 * try {
 *   await client.getOrganization(id, { signal: controller.signal })
 * } catch (err) {
 *   if (!(err instanceof RequestCancelledError)) throw err
 *   console.log(err.name, err.cause) // 'AbortError' ...
 * }
 * ```
 */
export declare class RequestCancelledError extends ScalewayError {
  /** Attempts the call made before it was cancelled (0 when its signal had aborted before it began). */
  attempts: number | null
  /** Milliseconds the call ran before it was cancelled. */
  elapsed: number | null
  /** A bulk call's results so far, when it was cut short (`RequestCancelledError`, `APITimeoutError`). */
  results: Array<BulkResult | EnsureResult | null> | null
  /** An apply cut short (aborted, past its `totalTimeout`): what was done, failed and not started. */
  outcome: ApplyOutcome | null
}
/**
 * A progress callback stopped a call. Never thrown by this package: a call whose `onProgress`
 * throws rejects with that exception itself; the class completes the core's error table.
 * @example
 * ```ts
 * const stop = new Error('enough')
 * await client.lockOrganizations(ids, { onProgress: () => { throw stop } }).catch((err) => {
 *   console.log(err === stop, err instanceof ProgressStoppedError) // true false
 * })
 * ```
 */
export declare class ProgressStoppedError extends ScalewayError {}
/**
 * A create failed in a way that may have applied it (gateway 5xx, timeout, reset after
 * sending), and the organization did not appear within `createSettleTimeout`. It may still
 * appear: do not create it again blindly; call `ensureOrganization` with the same `customerId`
 * later. `cause` is the failure that left it unknown; `status` and `requestId` are the cause's.
 * @example
 * ```ts
 * try {
 *   await client.createOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof CreateUnconfirmedError)) throw err
 *   console.log(err.customerId, err.cause.code) // later: client.ensureOrganization(params)
 * }
 * ```
 */
export declare class CreateUnconfirmedError extends ScalewayError {
  /** HTTP status, when the API answered. */
  status: number | null
  /** `X-Request-Id` of the answer, for Scaleway's support. */
  requestId: string | null
  /** Scaleway's error `type` (`not_found`, `invalid_arguments`...). */
  type: string | null
  /** The raw body of the answer. */
  body: string | null
  /** The customer ID of the create. */
  customerId: string
  /** The owner email of the create. */
  email: string
  /** The failure that left the outcome unknown. */
  cause: ScalewayError
}
/**
 * `ensureOrganization` found organizations with the customer ID that it cannot treat as the one asked for.
 * @example
 * ```ts
 * try {
 *   await client.ensureOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof ConflictError)) throw err
 *   console.log(err.customerId, err.organizationIds)
 * }
 * ```
 */
export declare class ConflictError extends ScalewayError {
  /** The customer ID concerned. */
  customerId: string
  /** The organizations in the way. */
  organizationIds: string[]
}
/**
 * A listing kept changing while it was read (past the passes allowed), or its pages cannot be a listing.
 * @example
 * ```ts
 * try {
 *   await client.listOrganizations({ status: 'locked' }).all()
 * } catch (err) {
 *   if (!(err instanceof ListingChangedError)) throw err
 *   console.log('the listing kept changing; try again')
 * }
 * ```
 */
export declare class ListingChangedError extends ScalewayError {}
/**
 * The API answered with a redirect, which is never followed (the secret key stays home).
 * @example
 * ```ts
 * try {
 *   await new Client({ apiUrl: wrongUrl }).getOrganization(id)
 * } catch (err) {
 *   if (!(err instanceof RedirectError)) throw err
 *   console.log(err.status, err.locationHost)
 * }
 * ```
 */
export declare class RedirectError extends ScalewayError {
  /** The redirect's HTTP status (3xx). */
  status: number
  /** The host of the `Location` header ('' when there was none). */
  locationHost: string
}
/**
 * The engine coordinating this client with other processes or hosts (the machine's lock
 * files, Redis) could not be used, or a lease on a customer was lost: nothing was sent for the
 * create or ensure it guarded. Try again, or choose another `coordination`.
 * @example
 * ```ts
 * try {
 *   await client.ensureOrganization(params)
 * } catch (err) {
 *   if (!(err instanceof CoordinationError)) throw err
 *   console.log(err.message) // nothing was created
 * }
 * ```
 */
export declare class CoordinationError extends ScalewayError {}
/**
 * A listing was read to its end but some records could not be read as organizations; nothing
 * else was lost: `undecodable` names each (page, index, id, why), `.all()` puts every
 * organization it read in `organizations`, and iteration yielded them before rejecting.
 * @example
 * ```ts
 * try {
 *   orgs = await client.listOrganizations().all()
 * } catch (err) {
 *   if (!(err instanceof UndecodableOrganizationsError)) throw err
 *   orgs = err.organizations // every one it could read
 *   console.log(err.undecodable.map((u) => u.id))
 * }
 * ```
 */
export declare class UndecodableOrganizationsError extends UnexpectedResponseError {
  /** The records the listing could not read. */
  undecodable: UndecodableOrganization[]
  /** The organizations it read (empty when iterating yielded them). */
  organizations: Organization[]
}
