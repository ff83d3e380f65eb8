//! The Rust runner of the shared conformance scenarios (tests/conformance/README.md).
//! It only translates scenario steps into calls of the crate and results into canonical JSON.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use scaleway_partner::{
    ApplyOptions, AuditOptions, BulkAction, BulkResults, CallOptions, CancellationToken, Client,
    CreateOrganizationRequest, Desired, Ensured, Error, Hook, HookEvent, ListOrganizationsRequest,
    LockedBy, NumberOption, OrderBy, Organization, OrganizationStatus, Plan, PlanOptions,
    ProgressFn, RequestAdminRoleRequest, ResponseCapture, UpdateOrganizationRequest,
};
use scaleway_partner_mock::{MockConfig, MockServer};
use serde_json::{Map, Value, json};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/scenarios")
}

/// The scenarios run: every one of `scenarios/`, or those of the directory named by
/// `CONFORMANCE_SCENARIOS` (to try a scenario before adding it).
fn scenario_files() -> Vec<PathBuf> {
    let dir = std::env::var_os("CONFORMANCE_SCENARIOS").map_or_else(scenarios_dir, PathBuf::from);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_scenarios() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario found");
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        match run_scenario(&scenario).await {
            Ok(()) => println!("ok   {name}"),
            Err(e) => {
                println!("FAIL {name}: {e}");
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The bad-input matrix (tests/conformance/bad-inputs.json): the cases meant for Rust (those
/// without language-specific values), each refused with its canonical error and 0 requests,
/// or accepted at a documented limit. Named under `conformance_scenarios` so that the
/// conformance stage runs it with the scenarios.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_scenarios_bad_inputs() {
    let path = scenarios_dir().join("../bad-inputs.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let config: MockConfig = serde_json::from_value(json!({"rate_limit": 0})).unwrap();
    let mock = MockServer::start(config).await.unwrap();
    let client = build_client(&mock, &json!({})).unwrap();
    let setup = &doc["setup"];
    let Outcome::Result(org) = call(&client, setup["call"].as_str().unwrap(), &setup["args"]).await
    else {
        panic!("bad inputs setup failed");
    };
    let vars = HashMap::from([(setup["save"].as_str().unwrap().to_owned(), org)]);
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let rust = case
            .get("languages")
            .and_then(Value::as_array)
            .is_none_or(|l| l.iter().any(|x| x == "rust"));
        if !rust {
            continue;
        }
        ran += 1;
        let name = case["name"].as_str().unwrap();
        let mut args = doc["bases"]
            .get(case.get("base").and_then(Value::as_str).unwrap_or(""))
            .cloned()
            .unwrap_or(json!({}));
        for (k, v) in case["args"].as_object().unwrap() {
            args[k] = v.clone();
        }
        let args = match substitute(args, &vars).and_then(expand) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let before = requests(&mock);
        let op = case["call"].as_str().unwrap();
        let outcome = if op == "new_client" {
            match build_client(&mock, &args) {
                Ok(_) => Outcome::Result(Value::Null),
                Err(e) => Outcome::Error(error_json(&e)),
            }
        } else {
            call(&client, op, &args).await
        };
        let checked = check_bad_input(case, &outcome).and_then(|()| {
            let sent = requests(&mock) - before;
            if case.get("ok").is_none() && sent != 0 {
                Err(format!("{sent} requests reached the emulator, expected 0"))
            } else {
                Ok(())
            }
        });
        if let Err(e) = checked {
            failures.push(format!("{name}: {e}"));
        }
    }
    mock.shutdown().await;
    println!(
        "rust: {}/{ran} bad-input cases agree (bad-inputs.json)",
        ran - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `$repeat` values as strings; a `$native` "missing" value as an absent key (Rust's `None`).
fn expand(v: Value) -> Result<Value, String> {
    Ok(match v {
        Value::Object(o) if o.contains_key("$repeat") => {
            let times = o["times"].as_u64().ok_or("$repeat needs times")? as usize;
            json!(
                o["$repeat"]
                    .as_str()
                    .ok_or("$repeat needs a string")?
                    .repeat(times)
            )
        }
        Value::Object(o) if o.contains_key("$native") => {
            return Err(format!("{:?} has no Rust form", o["$native"]));
        }
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, x) in o {
                let missing = x.get("$native").is_some_and(|n| n == "missing");
                if !missing {
                    m.insert(k, expand(x)?);
                }
            }
            Value::Object(m)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(expand).collect::<Result<_, _>>()?),
        other => other,
    })
}

/// The canonical expectation of a case: its error (on every item of a bulk call) with the
/// message naming `mentions`, or no error at all with `ok`.
fn check_bad_input(case: &Value, outcome: &Outcome) -> Result<(), String> {
    let items: Vec<&Outcome> = match outcome {
        Outcome::Bulk(items) => items.iter().collect(),
        one => vec![one],
    };
    for item in items {
        match (item, case.get("ok").is_some()) {
            (Outcome::Error(e), true) => return Err(format!("expected success, got {e}")),
            (Outcome::Error(e), false) => {
                let mut want = case["error"].clone();
                let mentions = want.as_object_mut().unwrap().remove("mentions");
                matches(&want, e, "error")?;
                if let Some(m) = mentions.as_ref().and_then(Value::as_str) {
                    if !e["message"].as_str().unwrap_or("").contains(m) {
                        return Err(format!("the message does not name {m}: {}", e["message"]));
                    }
                }
            }
            (_, false) => {
                return Err(format!(
                    "expected {}, got {}",
                    case["error"],
                    canonical(item)
                ));
            }
            (_, true) => {}
        }
    }
    Ok(())
}

async fn run_scenario(scenario: &Value) -> Result<(), String> {
    let mut config = json!({"rate_limit": 0});
    if let Some(e) = scenario.get("emulator").and_then(Value::as_object) {
        for (k, v) in e {
            config[k] = v.clone();
        }
    }
    let config: MockConfig =
        serde_json::from_value(config).map_err(|e| format!("emulator config: {e}"))?;
    let mock = MockServer::start(config)
        .await
        .map_err(|e| format!("emulator: {e}"))?;
    let mut vars: HashMap<String, Value> = HashMap::new();
    vars.insert("partner_id".into(), json!(mock.organization_id()));
    if let Some(p) = mock.partners().get(1) {
        vars.insert("other_partner_id".into(), json!(p.organization_id));
        vars.insert("other_secret_key".into(), json!(p.secret_key));
    }
    let client_cfg = substitute(scenario.get("client").cloned().unwrap_or(json!({})), &vars)?;
    // Closed by a `close` step: Rust's client closes by its cancellation token.
    let closer = CancellationToken::new();
    let client = build_client(&mock, &client_cfg)
        .map_err(|e| format!("client: {e}"))?
        .with_options(CallOptions {
            cancel: Some(closer.clone()),
            ..Default::default()
        });
    let other = match mock.partners().get(1) {
        Some(p) => Some(
            build_client(
                &mock,
                &json!({"secret_key": p.secret_key, "default_organization_id": p.organization_id}),
            )
            .map_err(|e| format!("client: {e}"))?,
        ),
        None => None,
    };
    for (i, step) in scenario["steps"]
        .as_array()
        .ok_or("no steps")?
        .iter()
        .enumerate()
    {
        let step = substitute(step.clone(), &vars)?;
        let before = requests(&mock);
        let mut traffic = None;
        let outcome = if let Some(op) = step.get("call").and_then(Value::as_str) {
            let client = match step.get("as").and_then(Value::as_str) {
                Some("other") => other
                    .as_ref()
                    .ok_or("\"as\": \"other\" needs two partners")?,
                _ => &client,
            };
            if op == "new_client" {
                match build_client(&mock, &step["args"]) {
                    Ok(_) => Outcome::Result(Value::Null),
                    Err(e) => Outcome::Error(error_json(&e)),
                }
            } else if op == "close" {
                closer.cancel();
                Outcome::Result(Value::Null)
            } else if step.get("traffic").and_then(Value::as_bool) == Some(true) {
                let (outcome, seen) = observed(&mock, &client_cfg, op, &step["args"]).await?;
                traffic = Some(seen);
                outcome
            } else if let Some(n) = step.get("concurrently").and_then(Value::as_u64) {
                // The call made that many times at once on one client; the outcomes in order.
                let calls = (0..n).map(|_| call(client, op, &step["args"]));
                Outcome::Bulk(futures::future::join_all(calls).await)
            } else {
                call(client, op, &step["args"]).await
            }
        } else if let Some(op) = step.get("control").and_then(Value::as_str) {
            if op == "sleep" {
                let ms = step["args"]["ms"].as_u64().ok_or("sleep needs ms")?;
                tokio::time::sleep(Duration::from_millis(ms)).await;
            } else if op == "await_late_writes" {
                let count = step["args"]["count"]
                    .as_u64()
                    .ok_or("await_late_writes needs count")?;
                await_late_writes(&mock, count).await?;
            } else {
                control(&mock, op, &step["args"])?;
            }
            Outcome::Result(Value::Null)
        } else {
            return Err(format!("step {i}: neither call nor control"));
        };
        let label = format!(
            "step {i} ({})",
            step.get("call").or(step.get("control")).unwrap()
        );
        if let Some(expect) = step.get("expect") {
            let mut actual = canonical(&outcome);
            if let Some(Value::Object(seen)) = traffic {
                actual.as_object_mut().unwrap().extend(seen);
            }
            check_outcome(&actual, expect).map_err(|e| format!("{label}: {e}"))?;
            if let (Some(m), Outcome::Error(e)) = (expect.get("mentions"), &outcome) {
                let m = m.as_str().ok_or("mentions must be a string")?;
                if !e["message"].as_str().unwrap_or("").contains(m) {
                    return Err(format!(
                        "{label}: the message does not name {m}: {}",
                        e["message"]
                    ));
                }
            }
            if let Some(n) = expect.get("requests") {
                let got = requests(&mock) - before;
                if Some(got) != n.as_u64() {
                    return Err(format!(
                        "{label}: {got} requests reached the emulator, expected {n}"
                    ));
                }
            }
        } else if let Outcome::Error(e) = &outcome {
            return Err(format!("{label}: unexpected error {e}"));
        }
        if let (Some(name), Outcome::Result(v)) =
            (step.get("save").and_then(Value::as_str), &outcome)
        {
            vars.insert(name.to_owned(), v.clone());
        }
    }
    mock.shutdown().await;
    Ok(())
}

fn requests(mock: &MockServer) -> u64 {
    serde_json::to_value(mock.stats()).unwrap()["requests"]
        .as_u64()
        .unwrap_or(0)
}

/// Waits until the emulator has applied `count` late writes (bounded).
async fn await_late_writes(mock: &MockServer, count: u64) -> Result<(), String> {
    let until = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let applied = serde_json::to_value(mock.stats()).unwrap()["late_applied"]
            .as_u64()
            .unwrap_or(0);
        if applied >= count {
            return Ok(());
        }
        if tokio::time::Instant::now() >= until {
            return Err(format!(
                "{applied} late writes after 30 s, expected {count}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Scenario client options that are numbers, and the factor to the builder's unit (seconds).
const NUMBER_OPTIONS: [(&str, NumberOption, f64); 9] = [
    ("timeout_ms", NumberOption::Timeout, 0.001),
    ("connect_timeout_ms", NumberOption::ConnectTimeout, 0.001),
    ("total_timeout_ms", NumberOption::TotalTimeout, 0.001),
    (
        "create_settle_timeout_ms",
        NumberOption::CreateSettleTimeout,
        0.001,
    ),
    ("max_retries", NumberOption::MaxRetries, 1.0),
    ("rate_limit", NumberOption::RateLimit, 1.0),
    ("page_concurrency", NumberOption::PageConcurrency, 1.0),
    ("bulk_concurrency", NumberOption::BulkConcurrency, 1.0),
    ("max_connections", NumberOption::MaxConnections, 1.0),
];

/// A call made with a client of its own whose hook records every event, through a view that
/// captures the success's metadata: the outcome, and `{"traffic": [events], "response": ...}`.
async fn observed(
    mock: &MockServer,
    cfg: &Value,
    op: &str,
    args: &Value,
) -> Result<(Outcome, Value), String> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let hook = Hook::new(move |e: &HookEvent| {
        sink.lock().unwrap().push(serde_json::to_value(e).unwrap());
    });
    let capture = ResponseCapture::new();
    let client = build_client_with(mock, cfg, Some(hook))
        .map_err(|e| format!("client: {e}"))?
        .with_response_capture(capture.clone());
    let outcome = call(&client, op, args).await;
    let response = capture
        .last()
        .map(|m| json!({"status": m.status, "request_id": m.request_id}));
    let traffic = events.lock().unwrap().clone();
    if serde_json::to_string(&traffic)
        .unwrap()
        .contains(mock.secret_key())
    {
        return Err(format!("the hook saw the secret key: {traffic:?}"));
    }
    Ok((outcome, json!({"traffic": traffic, "response": response})))
}

fn build_client(mock: &MockServer, cfg: &Value) -> Result<Client, Error> {
    build_client_with(mock, cfg, None)
}

fn build_client_with(mock: &MockServer, cfg: &Value, hook: Option<Hook>) -> Result<Client, Error> {
    let flag = |k: &str| cfg.get(k).and_then(Value::as_bool);
    let mut b = Client::builder()
        .api_url(
            cfg.get("api_url")
                .and_then(Value::as_str)
                .unwrap_or(mock.url()),
        )
        .secret_key(
            cfg.get("secret_key")
                .and_then(Value::as_str)
                .unwrap_or(mock.secret_key()),
        )
        .rate_limit(0.0)
        .environment([("HOME", "/nonexistent")]);
    match cfg.get("default_organization_id") {
        Some(Value::Null) => {}
        Some(v) => b = b.default_organization_id(v.as_str().unwrap_or_default()),
        None => b = b.default_organization_id(mock.organization_id()),
    }
    // Numbers as a binding passes them: raw, checked by the core's builder.
    for (key, option, scale) in NUMBER_OPTIONS {
        if let Some(v) = cfg.get(key).and_then(Value::as_f64) {
            b = b.number(option, v * scale);
        }
    }
    if let Some(f) = flag("retry_unconfirmed_creates") {
        b = b.retry_unconfirmed_creates(f);
    }
    if let Some(f) = flag("allow_insecure_http") {
        b = b.allow_insecure_http(f);
    }
    if let Some(hook) = hook {
        b = b.hook(hook);
    }
    b.build()
}

enum Outcome {
    Result(Value),
    Error(Value),
    Bulk(Vec<Outcome>),
}

fn s(args: &Value, k: &str) -> Option<String> {
    args.get(k).and_then(Value::as_str).map(str::to_owned)
}

fn org_json(o: &Organization) -> Value {
    serde_json::to_value(o).unwrap()
}

fn outcome(r: Result<Organization, Error>) -> Outcome {
    match r {
        Ok(o) => Outcome::Result(org_json(&o)),
        Err(e) => Outcome::Error(error_json(&e)),
    }
}

fn ensured(r: Result<Ensured, Error>) -> Outcome {
    match r {
        Ok(e) => Outcome::Result(
            json!({"organization": org_json(&e.organization), "created": e.created}),
        ),
        Err(e) => Outcome::Error(error_json(&e)),
    }
}

fn create_request(args: &Value) -> CreateOrganizationRequest {
    CreateOrganizationRequest {
        partner_id: s(args, "partner_id"),
        email: s(args, "email"),
        organization_name: s(args, "organization_name"),
        owner_firstname: s(args, "owner_firstname"),
        owner_lastname: s(args, "owner_lastname"),
        customer_id: s(args, "customer_id"),
        phone_number: s(args, "phone_number"),
        siren_number: s(args, "siren_number"),
    }
}

fn error_json(e: &Error) -> Value {
    let mut v = json!({
        "class": e.kind().info().class_name,
        "code": e.kind().as_str(),
        "status": e.status_code(),
        "type": e.error_type(),
        "field": e.field(),
        "message": e.to_string(),
        "customer_id": e.customer_id(),
        "email": e.email(),
        "organization_ids": e.organization_ids(),
        "location_host": e.location_host(),
        "attempts": e.attempts(),
        "cause": e.cause().map(|c| json!({"code": c.kind().as_str(), "status": c.status_code()})),
        // The runner's own value, raised by its callback, coming back (as the bindings' do).
        "callback_exception": e.raised().and_then(|r| r.downcast_ref::<&str>()) == Some(&RAISED),
    });
    if let Some(api) = e.api() {
        use scaleway_partner::ApiErrorDetails as D;
        match &api.details {
            D::InvalidArguments(d) => v["details"] = serde_json::to_value(d).unwrap(),
            D::PermissionsDenied(d) | D::QuotasExceeded(d) => {
                v["details"] = serde_json::to_value(d).unwrap()
            }
            D::NotFound {
                resource,
                resource_id,
            }
            | D::ResourceLocked {
                resource,
                resource_id,
            } => {
                v["resource"] = json!(resource);
                v["resource_id"] = json!(resource_id);
            }
            _ => {}
        }
    }
    v
}

async fn call(client: &Client, op: &str, args: &Value) -> Outcome {
    let id = s(args, "organization_id");
    let id = id.as_deref();
    // Writes take an ID, never the default: an omitted one is passed as Rust's nearest (empty).
    let target = id.unwrap_or_default();
    match op {
        "create_organization" => outcome(client.create_organization(create_request(args)).await),
        "ensure_organization" => ensured(client.ensure_organization(create_request(args)).await),
        "ensure_organizations" => {
            let requests = args["requests"]
                .as_array()
                .map(|a| a.iter().map(create_request).collect::<Vec<_>>())
                .unwrap_or_default();
            match bulk(client, args, |b| async move { b.ensure(requests).await }).await {
                Ok(results) => bulk_outcome(results, ensured),
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        "plan" => {
            let records = args["records"].as_array().cloned().unwrap_or_default();
            let options = PlanOptions {
                lock_unclaimed: args["lock_unclaimed"].as_bool().unwrap_or(false),
                ..PlanOptions::default()
            };
            match Desired::from_values(&records) {
                Ok(desired) => match client.plan(&desired, options).await {
                    Ok(plan) => Outcome::Result(json!(plan)),
                    Err(e) => Outcome::Error(error_json(&e)),
                },
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        "plan_locks" => {
            let ids: Vec<String> = serde_json::from_value(args["ids"].clone()).unwrap_or_default();
            let lock = args["lock"].as_bool().unwrap_or(true);
            match client.audit(AuditOptions::default()).await {
                Ok(report) => match report.plan_locks(&ids, lock) {
                    Ok(plan) => Outcome::Result(json!(plan)),
                    Err(e) => Outcome::Error(error_json(&e)),
                },
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        "apply" => match Plan::from_json(&args["plan"].to_string()) {
            Ok(plan) => match client.apply(&plan, ApplyOptions::default()).await {
                Ok(o) => Outcome::Result(o.to_value()),
                Err(e) => Outcome::Error(error_json(&e)),
            },
            Err(e) => Outcome::Error(error_json(&e)),
        },
        "get_organization" => outcome(client.get_organization(id).await),
        "update_organization" => {
            let req = UpdateOrganizationRequest {
                email: s(args, "email"),
                name: s(args, "name"),
                owner_firstname: s(args, "owner_firstname"),
                owner_lastname: s(args, "owner_lastname"),
                phone_number: s(args, "phone_number"),
                customer_id: s(args, "customer_id"),
                comment: s(args, "comment"),
            };
            outcome(client.update_organization(target, req).await)
        }
        "lock_organization" => outcome(client.lock_organization(target).await),
        "unlock_organization" => outcome(client.unlock_organization(target).await),
        "request_admin_role" => {
            let req = RequestAdminRoleRequest {
                username: s(args, "username"),
                email: s(args, "email"),
                password: s(args, "password"),
            };
            match client.request_admin_role(target, req).await {
                Ok(()) => Outcome::Result(Value::Null),
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        "list_organizations" => {
            let req = ListOrganizationsRequest {
                status: s(args, "status").map(OrganizationStatus::from),
                email: s(args, "email"),
                customer_id: s(args, "customer_id"),
                locked_by: s(args, "locked_by").map(LockedBy::from),
                order_by: s(args, "order_by").map(OrderBy::from),
                page_size: args
                    .get("page_size")
                    .and_then(Value::as_u64)
                    .map(|n| n as u32),
            };
            let lister = match client.list_organizations(req) {
                Ok(lister) => lister,
                Err(e) => return Outcome::Error(error_json(&e)),
            };
            let lister = match stop_after(args) {
                Some(stop) => lister.on_progress(stop),
                None => lister,
            };
            let listed = match args.get("mode").and_then(Value::as_str).unwrap_or("all") {
                "create" => Ok(Value::Null),
                "page" => {
                    let page = args.get("page").and_then(Value::as_u64).unwrap_or(1) as u32;
                    lister.page(page).await.map(|p| {
                        json!({
                            "organizations": p.organizations.iter().map(org_json).collect::<Vec<_>>(),
                            "total_count": p.total_count,
                            "page": p.page,
                            "page_size": p.page_size,
                        })
                    })
                }
                "iter" => {
                    let then = s(args, "then");
                    let mut stream = std::pin::pin!(lister.stream());
                    let mut yielded = Vec::new();
                    let mut result = Ok(());
                    while let Some(next) = stream.try_next().await.transpose() {
                        let org = match next {
                            Ok(org) => org,
                            Err(e) => {
                                result = Err(e);
                                break;
                            }
                        };
                        let acted = match then.as_deref() {
                            Some("lock_organization") => client.lock_organization(&org.id).await,
                            Some("unlock_organization") => {
                                client.unlock_organization(&org.id).await
                            }
                            _ => Ok(org.clone()),
                        };
                        if let Err(e) = acted {
                            result = Err(e);
                            break;
                        }
                        yielded.push(org_json(&org));
                    }
                    result.map(|()| json!({"organizations": yielded}))
                }
                _ => lister.collect_all().await.map(
                    |all| json!({"organizations": all.iter().map(org_json).collect::<Vec<_>>()}),
                ),
            };
            match listed {
                Ok(v) => Outcome::Result(v),
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        "lock_organizations" | "unlock_organizations" | "get_organizations" => {
            let ids: Vec<String> = args["ids"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let action = match op {
                "lock_organizations" => BulkAction::Lock,
                "unlock_organizations" => BulkAction::Unlock,
                _ => BulkAction::Get,
            };
            match bulk(client, args, |b| async move { b.run(action, ids).await }).await {
                Ok(results) => bulk_outcome(results, outcome),
                Err(e) => Outcome::Error(error_json(&e)),
            }
        }
        other => {
            Outcome::Error(json!({"code": "runner", "message": format!("unknown call {other}")}))
        }
    }
}

/// A bulk call with the step's `concurrency` (checked by the core's rule, as the bindings check
/// theirs), and a progress callback that cancels the call once `cancel_after` items are done,
/// or stops it (as a raising callback does in the bindings) once `raise_after` are.
async fn bulk<T, F, Fut>(client: &Client, args: &Value, run: F) -> Result<BulkResults<T>, Error>
where
    F: FnOnce(scaleway_partner::Bulk) -> Fut,
    Fut: std::future::Future<Output = BulkResults<T>>,
{
    let cancel_after = args.get("cancel_after").and_then(Value::as_u64);
    let token = CancellationToken::new();
    // A token of its own only for `cancel_after`: otherwise the client's (closed by `close`).
    let client = match cancel_after {
        Some(_) => client.with_options(CallOptions {
            cancel: Some(token.clone()),
            ..Default::default()
        }),
        None => client.clone(),
    };
    let mut b = client.bulk();
    if let Some(n) = args.get("concurrency").and_then(Value::as_f64) {
        b = b.concurrency(NumberOption::BulkConcurrency.count(n, "concurrency")? as usize);
    }
    if let Some(n) = cancel_after {
        b = b.on_progress(ProgressFn::new(move |p| {
            if p.done >= n {
                token.cancel();
            }
        }));
    }
    if let Some(stop) = stop_after(args) {
        b = b.on_progress(stop);
    }
    Ok(run(b).await)
}

/// What the callback of a step with `raise_after` raises.
const RAISED: &str = "raised by the runner's callback";

/// The progress callback of a step with `raise_after`: it raises once that many items are
/// done, as a binding's callback does.
fn stop_after(args: &Value) -> Option<ProgressFn> {
    let n = args.get("raise_after").and_then(Value::as_u64)?;
    Some(ProgressFn::awaited(move |p| {
        futures::future::ready(if p.done >= n {
            std::ops::ControlFlow::Break(Some(scaleway_partner::CallbackError::new(RAISED)))
        } else {
            std::ops::ControlFlow::Continue(())
        })
    }))
}

/// A bulk call's outcome: its items, or the error of an interrupted call with its items so
/// far (`{"not_started": true}` for those never started).
fn bulk_outcome<T>(results: BulkResults<T>, item: fn(Result<T, Error>) -> Outcome) -> Outcome {
    match results {
        Ok(results) => Outcome::Bulk(results.into_iter().map(item).collect()),
        Err(interrupted) => {
            let mut e = error_json(&interrupted.error);
            e["results"] = interrupted
                .results
                .into_iter()
                .map(|r| match r {
                    Some(r) => canonical(&item(r)),
                    None => json!({"not_started": true}),
                })
                .collect();
            Outcome::Error(e)
        }
    }
}

fn control(mock: &MockServer, op: &str, args: &Value) -> Result<(), String> {
    let id = || {
        args["organization_id"]
            .as_str()
            .ok_or("organization_id")
            .map(str::to_owned)
    };
    match op {
        "validate_email" => {
            if !mock.validate_email(&id()?) {
                return Err("validate_email: unknown organization".into());
            }
        }
        "patch_raw" => {
            let patch = serde_json::from_value(json!({"set": args.get("set").cloned().unwrap_or(json!({})), "remove": args.get("remove").cloned().unwrap_or(json!([]))}))
                .map_err(|e| format!("patch_raw: {e}"))?;
            if !mock.patch_raw(&id()?, patch) {
                return Err("patch_raw: unknown organization".into());
            }
        }
        "inject_faults" => mock.inject_faults(
            serde_json::from_value(args.clone()).map_err(|e| format!("inject_faults: {e}"))?,
        ),
        "clear_faults" => mock.clear_faults(),
        other => return Err(format!("unknown control {other}")),
    }
    Ok(())
}

fn canonical(o: &Outcome) -> Value {
    match o {
        Outcome::Result(v) => json!({"result": v}),
        Outcome::Error(e) => json!({"error": e}),
        Outcome::Bulk(items) => json!({"results": items.iter().map(canonical).collect::<Vec<_>>()}),
    }
}

fn check_outcome(actual: &Value, expect: &Value) -> Result<(), String> {
    for key in ["result", "error", "results", "traffic", "response"] {
        if let Some(want) = expect.get(key) {
            let got = actual
                .get(key)
                .ok_or_else(|| format!("expected {key}, got {actual}"))?;
            matches(want, got, key)?;
        }
    }
    if expect.get("error").is_none() {
        if let Some(e) = actual.get("error") {
            return Err(format!("unexpected error {e}"));
        }
    }
    Ok(())
}

/// Subset matching, as the README describes.
fn matches(want: &Value, got: &Value, path: &str) -> Result<(), String> {
    let fail = || Err(format!("{path}: expected {want}, got {got}"));
    match want {
        Value::Object(w) if w.contains_key("$len") => match got.as_array() {
            Some(a) if Some(a.len() as u64) == w["$len"].as_u64() => Ok(()),
            _ => fail(),
        },
        Value::Object(w) if w.contains_key("$ne") => {
            if &w["$ne"] == got {
                fail()
            } else {
                Ok(())
            }
        }
        Value::Object(w) if w.contains_key("$present") => {
            if got.is_null() {
                fail()
            } else {
                Ok(())
            }
        }
        Value::Object(w) => {
            let Some(g) = got.as_object() else {
                return fail();
            };
            for (k, v) in w {
                matches(v, g.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        Value::Array(w) => {
            let Some(g) = got.as_array() else {
                return fail();
            };
            if w.len() != g.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {got}",
                    w.len(),
                    g.len()
                ));
            }
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                matches(a, b, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ => {
            if want == got {
                Ok(())
            } else {
                fail()
            }
        }
    }
}

/// Replaces `"$name.path"` strings by saved values.
fn substitute(v: Value, vars: &HashMap<String, Value>) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) if s.starts_with('$') && !s.starts_with("$$") => {
            let mut parts = s[1..].split('.');
            let root = parts.next().unwrap_or("");
            let mut cur = vars
                .get(root)
                .ok_or_else(|| format!("unknown variable {s}"))?;
            for p in parts {
                cur = cur.get(p).ok_or_else(|| format!("variable {s}: no {p}"))?;
            }
            cur.clone()
        }
        Value::Array(a) => Value::Array(
            a.into_iter()
                .map(|x| substitute(x, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, x) in o {
                // Matcher keys like "$len" are kept as they are.
                m.insert(k, substitute(x, vars)?);
            }
            Value::Object(m)
        }
        other => other,
    })
}
