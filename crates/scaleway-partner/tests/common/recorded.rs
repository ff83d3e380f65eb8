//! The real traffic recorded from the API, the project's test data (tests/recorded, or the copy
//! `SCALEWAY_PARTNER_RECORDED` names). Shared by the integration test `recorded` and the unit
//! tests of `src/hostile_tests.rs` (included by path: they need the crate's private decoders).

use std::path::PathBuf;

use serde_json::Value;

/// `(where, body)` of every interaction of every cassette, files in name order, interactions in
/// file order: where is `<cassette file> #<interaction id>`, the body "" when there was none.
pub fn recorded_interactions() -> Vec<(String, String)> {
    let dir = std::env::var_os("SCALEWAY_PARTNER_RECORDED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/recorded"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the recorded traffic must be at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".cassette.yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let doc: Value = serde_saphyr::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for i in doc["interactions"].as_array().expect("interactions") {
            let file = f.file_name().unwrap().to_string_lossy().into_owned();
            let id = i["id"].as_u64().expect("id");
            let body = i["response"]["body"].as_str().unwrap_or("");
            out.push((format!("{file} #{id}"), body.to_owned()));
        }
    }
    out
}
