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

/// Decodes an organization from JSON text with the core's lenient decoder: the API's wire form
/// (cached data, recorded traffic) or `JSON.stringify` of an `Organization` (camelCase keys, ISO
/// dates, the unknown fields under `extra`).
#[napi(catch_unwind)]
pub fn decode_organization(json: String) -> Result<convert::Organization> {
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
        .map_err(errors::to_napi)
}

// The free functions the addon exports stand here, at the crate root: napi registers them only
// outside test builds, and public items of the root are never dead code to clippy's test target.

/// The core's error table (class names, parents, attributes) as JSON: lib/errors.js makes its
/// classes from it.
#[napi]
pub fn error_kinds() -> String {
    serde_json::to_string(&scaleway_partner::error_kinds()).unwrap_or_default()
}

/// What changed from `previous` to `report`: two reports in the core's JSON form (lib/audit.js
/// converts `client.audit()` results), the answer in that form too.
#[napi]
pub fn diff_audits(report: String, previous: String) -> Result<String> {
    audit::diff_audits(&report, &previous)
}

/// The keys of each object argument declared with `js_object!`, by its TypeScript name: the
/// JS layer refuses the others.
#[napi(js_name = "_objectKeys")]
pub fn object_keys() -> std::collections::HashMap<String, Vec<String>> {
    keys::object_keys()
}

/// The marker of error payloads, so that the JS layer and this crate cannot drift apart.
#[napi]
pub const ERROR_PAYLOAD_MARKER: &str = errors::PAYLOAD_MARKER;

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
