//! Node binding of the `scaleway-partner` core (napi-rs). It only maps arguments, values and
//! errors; the package's JS layer (node/lib) gives them their idiomatic shape. No API logic lives
//! here: validation, retries, pacing, pagination and bulk work are the core's.

mod audit;
mod client;
mod convert;
mod errors;
mod keys;
mod lister;
mod names;
mod progress;
mod requests;
mod testing;
mod traffic;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use errors::Throw;

/// Decodes an organization from JSON text with the core's lenient decoder: the API's wire form
/// (cached data, recorded traffic) or `JSON.stringify` of an `Organization` (camelCase keys, ISO
/// dates, the unknown fields under `extra`).
#[napi(catch_unwind)]
pub fn decode_organization(env: Env, json: String) -> Result<convert::Organization> {
    serde_json::from_str(&json)
        .map_err(|e| scaleway_partner::Error::Validation {
            field: "organization".into(),
            message: format!("is not JSON: {e}").into(),
        })
        .and_then(|value| {
            scaleway_partner::Organization::from_value(
                value,
                scaleway_partner::OptionSpelling::CamelCase,
            )
        })
        .map(Into::into)
        .throw(&env)
}

// The free functions the addon exports stand here, at the crate root: napi registers them only
// outside test builds, and public items of the root are never dead code to clippy's test target.

/// The core's error table (class names, parents, attributes): lib/errors.js makes its classes
/// from it.
#[napi(
    ts_return_type = "Array<{ code: string, class_name: string, parent: string | null, parent_class: string, status: number | null, attributes: string[], description: string }>"
)]
pub fn error_kinds() -> serde_json::Value {
    serde_json::to_value(scaleway_partner::error_kinds()).expect("the table serializes")
}

/// What changed from `previous` to `report`: two results of `client.audit()`, read by the
/// core's types; the answer as JS values (camelCase, `Date`s).
#[napi(ts_return_type = "AuditDiff")]
pub fn diff_audits(
    env: Env,
    #[napi(ts_arg_type = "object")] report: audit::ReportIn,
    #[napi(ts_arg_type = "object")] previous: audit::ReportIn,
) -> Result<audit::Js<scaleway_partner::AuditDiff>> {
    audit::diff_audits(report, previous).throw(&env)
}

/// The core's dry run of locking (`lock`) or unlocking organizations of a report (a result of
/// `client.audit()`) picked by ID: the plan's JSON document; nothing is sent.
#[napi]
pub fn plan_locks(
    env: Env,
    #[napi(ts_arg_type = "object")] report: audit::ReportIn,
    ids: Vec<String>,
    lock: bool,
) -> Result<String> {
    audit::plan_locks(report, &ids, lock).throw(&env)
}

/// The fields of each object argument declared with `js_object!` and their JavaScript types, by
/// its TypeScript name: the JS layer refuses other keys and values of another type.
#[napi(js_name = "_objectKeys")]
pub fn object_keys() -> std::collections::HashMap<String, Vec<keys::ObjectField>> {
    keys::object_keys()
}

/// An asynchronous call that panics, through the path every asynchronous method takes: the
/// tests prove that a panic of the core rejects the promise instead of crashing or hanging the
/// process.
#[napi(js_name = "_panicForTests")]
pub async fn panic_for_tests() -> Result<()> {
    deliberate_panic();
    Ok(())
}

/// The synchronous counterpart of `_panicForTests` (constructors, listers' setup).
#[napi(js_name = "_panicForTestsSync", catch_unwind)]
pub fn panic_for_tests_sync() -> Result<()> {
    deliberate_panic();
    Ok(())
}

fn deliberate_panic() {
    panic!("deliberate panic of _panicForTests");
}
