// Types of scaleway_partner/testing: the embedded emulator of the Partner API.
import type { Client, ClientOptions } from './index.js'

/** A partner account of the emulator. */
export interface MockPartner {
  /** Its secret key (a UUID). */
  secretKey: string
  /** Its own organization ID. */
  organizationId: string
}

/** Probabilities (0 to 1) of faults on each request under /partner/v1. */
export interface FaultProbabilities {
  /** A 500 answer. */
  serverError?: number
  /** The connection reset before the request is handled. */
  resetBefore?: number
  /** The connection reset after the request is applied, before the answer. */
  resetAfter?: number
  /** An answer cut short. */
  truncate?: number
  /** An answer delayed by `slowMs`. */
  slow?: number
  /** Delay of a `slow` fault, in milliseconds. */
  slowMs?: number
  /** A gateway failure at once, the write applied `applyLateMs` later. */
  applyLate?: number
  /** When an `apply_late` fault (and a scripted one without `delayMs`) applies the write, in ms (2500). */
  applyLateMs?: number
  /** The request handled, then a 2xx answered with a body that is not JSON. */
  garble?: number
}

/** The kinds of scripted faults. */
export type FaultKind =
  | 'server_error'
  | 'reset_before'
  | 'reset_after'
  | 'truncate'
  | 'slow'
  | 'rate_limit'
  | 'error'
  | 'apply_late'
  | 'garble'
  | 'redirect'
  | 'success_body'
  | 'rate_limit_headers'

/** A fault for the next matching requests, applied `count` times (1 by default). */
export interface ScriptedFault {
  /** What happens to the request. */
  fault: FaultKind
  /** How many matching requests get it (1 by default). */
  count?: number
  /** Only requests of this operation (`get_organization`, `lock_organization`...). */
  operation?: string
  /**
   * Delay of a `slow` fault, in milliseconds; for `apply_late`, how long after the answer the
   * write lands (the probabilities' `applyLateMs` otherwise).
   */
  delayMs?: number
  /**
   * Status answered by an `error` fault (400 to 599, required); by `apply_late` (502, 503 or
   * 504; 504 by default); by `redirect` (301, 302, 303, 307 or 308; 307 by default); by
   * `success_body` (200 to 299; 200 by default).
   */
  status?: number
  /**
   * JSON body answered by an `error` fault, or (required) by a `success_body` fault in place of
   * the answer, sent exactly as given (wire form, snake_case).
   */
  body?: unknown
  /** `apply_late` only: close the connection without an answer instead of a gateway status. */
  reset?: boolean
  /**
   * `redirect` only: the `Location` header (by default the same emulator under its other local
   * host name, `localhost` and `127.0.0.1` swapped).
   */
  location?: string
  /**
   * `rate_limit_headers` only (required there): the `X-Ratelimit-*` values its answer carries,
   * sent as given; those left out are not sent.
   */
  rateLimitHeaders?: RateLimitHeaders
}

/** The `X-Ratelimit-*` values of a `rate_limit_headers` fault, as text (`'1700000000'`, `'-1'`). */
export interface RateLimitHeaders {
  /** `X-Ratelimit-Limit`, such as `'1, 1;w=86400'`. */
  limit?: string
  /** `X-Ratelimit-Remaining`. */
  remaining?: string
  /** `X-Ratelimit-Reset`, in seconds (or, as some gateways send it, a Unix time). */
  reset?: string
}

/** What `injectFaults` applies: scripted faults first, then the probabilities. */
export interface FaultPlan {
  /** Faults for the next matching requests, in order. */
  script?: ScriptedFault[]
  /** Probabilities of faults on every request. */
  probabilities?: FaultProbabilities
  /** Seed of the probabilistic faults. */
  seed?: number
}

/** Options of `MockServer.start`; all optional. */
export interface MockServerOptions {
  /**
   * `host:port` to listen on (`127.0.0.1:0`, a free port, by default). Given, the emulator serves
   * others: it keeps the process alive until `close()` or `unref()`.
   */
  listen?: string
  /** The partners; one is generated when empty. */
  partners?: MockPartner[]
  /** Seed of the generated data and of probabilistic faults. */
  seed?: number
  /** Realistic organizations created for the first partner at start. */
  seedOrganizations?: number
  /** Added to each request under /partner/v1, in milliseconds. */
  latency?: {
    /** Base time of every request, in ms. */
    baseMs?: number
    /** Random time added, up to this many ms. */
    jitterMs?: number
    /** Extra time of a create, in ms. */
    createMs?: number
  }
  /** Requests per second per secret key (50 by default; 0 = off). */
  rateLimit?: number
  /** How a 429 looks: the gateway's empty answer (default) or a JSON body. */
  rateLimitStyle?: 'gateway' | 'json'
  /** Probabilities of faults on every request from the start. */
  faults?: FaultProbabilities
  /** JSON file the state is loaded from and saved to. */
  stateFile?: string
  /** How an unset `siren_number` is sent: `null` (default) or absent. */
  unsetSirenNumber?: 'null' | 'absent'
  /** Largest request body accepted (65536 by default). */
  maxBodyBytes?: number
  /** Connections served at once (1024 by default); more wait in the listen backlog. */
  maxConnections?: number
  /** Time a client gets to send request headers before its connection is cut (10000 ms). */
  headerReadTimeoutMs?: number
  /**
   * Serve `https://` with a certificate signed by an authority generated at start
   * (`caCertificatePem`; `client()` trusts it).
   */
  tls?: boolean
}

/** What `MockServer.stats()` returns: counters since the start or the last reset. */
export interface MockStats {
  /** Requests answered. */
  requests: number
  /** Requests being handled now. */
  inFlight: number
  /** The most requests handled at once. */
  maxInFlight: number
  /** Requests answered 429. */
  rateLimited: number
  /** Faults applied. */
  faultsInjected: number
  /** Writes an `apply_late` fault applied after its answer. */
  lateApplied: number
  /** TCP connections accepted. */
  connections: number
  /** Connections open now. */
  openConnections: number
  /** The most connections open at once. */
  maxOpenConnections: number
  /** Connections cut before a request: slow headers or a failed TLS handshake. */
  connectionsRefused: number
  /** By operation name (`get_organization`...). */
  byOperation: Record<string, number>
  /** By HTTP status (`"200"`...). */
  byStatus: Record<string, number>
}

/** Overrides of the wire JSON of an organization, with the API's snake_case field names. */
export interface RawPatch {
  /** Fields set to these values. */
  set?: Record<string, unknown>
  /** Fields removed. */
  remove?: string[]
}

/**
 * The emulator, running in this process. Close it when done (it also stops when collected).
 * @example
 * ```ts
 * import { MockServer } from 'scaleway_partner/testing'
 *
 * const mock = await MockServer.start({ seedOrganizations: 10, rateLimit: 0 })
 * try {
 *   const client = mock.client()
 *   const { totalCount } = await client.listOrganizations().page(1)
 *   console.log(totalCount) // 10
 * } finally {
 *   await mock.close()
 * }
 * ```
 */
export declare class MockServer {
  private constructor()
  /**
   * Starts an emulator on a free port of 127.0.0.1 (by default).
   * @example
   * ```ts
   * const mock = await MockServer.start({ seed: 42, seedOrganizations: 100, latency: { baseMs: 20 } })
   * ```
   */
  static start(options?: MockServerOptions): Promise<MockServer>
  /** `http://127.0.0.1:PORT` (`https://` with `tls`) */
  readonly url: string
  /** With `tls`, the PEM certificate of the authority behind the server's; else null. */
  readonly caCertificatePem: string | null
  /** Secret key of the first partner. */
  readonly secretKey: string
  /** Organization ID of the first partner. */
  readonly organizationId: string
  /**
   * Every partner, the first being the default.
   * @example
   * ```ts
   * const [{ secretKey, organizationId }] = mock.partners()
   * ```
   */
  partners(): MockPartner[]
  /**
   * Counters of the requests and connections since the start or the last reset.
   * @example
   * ```ts
   * await client.getOrganization(id)
   * console.log(mock.stats().byOperation.get_organization) // 1
   * ```
   */
  stats(): MockStats
  /**
   * Sets the counters of `stats()` back to zero.
   * @example
   * ```ts
   * mock.resetStats()
   * console.log(mock.stats().requests) // 0
   * ```
   */
  resetStats(): void
  /**
   * Applies a fault plan, replacing the previous one.
   * @example
   * ```ts
   * mock.injectFaults({ script: [{ fault: 'server_error', count: 2, operation: 'get_organization' }] })
   * await client.getOrganization(id) // retried past both faults
   * ```
   */
  injectFaults(plan: FaultPlan): void
  /**
   * Removes the fault plan: requests are answered normally again.
   * @example
   * ```ts
   * mock.clearFaults()
   * ```
   */
  clearFaults(): void
  /**
   * Lifts Scaleway's `validate_email` lock; false when there is no such organization.
   * @example
   * ```ts
   * const org = await client.createOrganization(params) // locked by Scaleway: validate_email
   * mock.validateEmail(org.id)
   * console.log((await client.getOrganization(org.id)).status) // 'opened'
   * ```
   */
  validateEmail(organizationId: string): boolean
  /**
   * False when there is no such organization.
   * @example
   * ```ts
   * mock.patchRaw(id, { set: { status: 'suspended' }, remove: ['comment'] })
   * console.log((await client.getOrganization(id)).status) // 'suspended'
   * ```
   */
  patchRaw(organizationId: string, patch: RawPatch): boolean
  /**
   * Back to the initial (seeded) state; statistics and faults cleared.
   * @example
   * ```ts
   * mock.reset()
   * ```
   */
  reset(): void
  /**
   * Stops the emulator (closing it again does nothing).
   * @example
   * ```ts
   * await mock.close()
   * ```
   */
  close(): Promise<void>
  /**
   * Closes it: `await using mock = await MockServer.start()` (TypeScript 5.2+, Node 22+) stops
   * it at the end of the block.
   * @example
   * ```ts
   * {
   *   await using mock = await MockServer.start()
   *   await mock.client().listOrganizations().page(1)
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>
  /**
   * Keeps the process alive while the emulator serves, until `close()` or `unref()` (the default
   * when `listen` was given).
   * @example
   * ```ts
   * const mock = (await MockServer.start()).ref()
   * console.log(`emulator at ${mock.url}`) // serves until the process is stopped
   * ```
   */
  ref(): this
  /**
   * Lets the process exit while the emulator is open (the default without `listen`).
   * @example
   * ```ts
   * const mock = (await MockServer.start({ listen: '127.0.0.1:8080' })).unref()
   * ```
   */
  unref(): this
  /**
   * A Client bound to this server; `options` override its settings. The server lives at least
   * as long as the client: a helper may return only the client.
   * @example
   * ```ts
   * const client = mock.client({ maxRetries: 0, timeout: 2_000 })
   * ```
   */
  client(options?: ClientOptions): Client
}
