//! The customer book as code: plan and apply against the emulator. Every action kind, the
//! conflicts and reports, invalid records, a stale plan, the journal (resume, two applies
//! refusing each other), an apply killed with SIGKILL at random points and resumed, and an
//! apply under the fault soak's mix.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{
    builder, client, emulator, every_organization, fast_retries, inject_soak_faults, stats,
};
use std::ops::ControlFlow;

use scaleway_partner::{
    ActionKind, ActionStatus, ApplyOptions, CallOptions, CancellationToken, Client,
    CreateOrganizationRequest, Desired, ErrorKind, Plan, PlanOptions, ProgressFn,
    UpdateOrganizationRequest,
};
use scaleway_partner_mock::MockServer;
use serde_json::{Value, json};

const CHILD_ENV: &str = "SCALEWAY_PARTNER_RECONCILE_CHILD";

fn record(customer: &str, n: usize) -> Value {
    json!({
        "customer_id": customer, "email": format!("owner{n}@{customer}.test"),
        "organization_name": format!("Customer {n}"), "owner_firstname": "Jane",
        "owner_lastname": "Doe",
    })
}

fn with(mut v: Value, key: &str, value: &str) -> Value {
    v[key] = value.into();
    v
}

fn request(v: &Value) -> CreateOrganizationRequest {
    let s = |k: &str| v[k].as_str().unwrap().to_owned();
    CreateOrganizationRequest::new()
        .customer_id(s("customer_id"))
        .email(s("email"))
        .organization_name(s("organization_name"))
        .owner_firstname(s("owner_firstname"))
        .owner_lastname(s("owner_lastname"))
}

/// A book with one customer for each situation; returns the records wanted and the IDs by role.
async fn book(client: &Client) -> (Vec<Value>, HashMap<&'static str, String>) {
    let mut ids = HashMap::new();
    let mut make = async |role: &'static str, v: &Value| {
        let org = client.create_organization(request(v)).await.unwrap();
        ids.insert(role, org.id.clone());
        org.id
    };
    let same = record("c-same", 1);
    make("same", &same).await;
    let drift = record("c-drift", 2);
    make("drift", &drift).await;
    let paid = record("c-paid", 3);
    let id = make("paid", &paid).await;
    client.lock_organization(id.as_str()).await.unwrap();
    let unpaid = record("c-unpaid", 4);
    make("unpaid", &unpaid).await;
    let twice = record("c-twice", 5);
    make("twice-a", &twice).await;
    make("twice-b", &twice).await;
    let other = record("c-other", 6);
    make("other", &other).await;
    let moved = record("c-moved", 7);
    make("moved", &moved).await;
    make("unclaimed", &record("c-gone", 8)).await;
    let wanted = vec![
        with(same, "email", "OWNER1@c-same.test"), // case only: the same owner
        with(
            with(drift, "organization_name", "Customer 2 SAS"),
            "phone_number",
            "+33100000002",
        ),
        with(paid, "state", "active"),
        with(unpaid, "state", "suspended"),
        twice,
        with(other, "email", "someone@else.test"),
        with(
            with(moved, "email", "new7@c-moved.test"),
            "previous_email",
            "owner7@c-moved.test",
        ),
        with(
            with(record("c-new", 9), "state", "suspended"),
            "comment",
            "annual billing",
        ),
    ];
    (wanted, ids)
}

fn desired(values: &[Value]) -> Desired {
    Desired::from_values(values).expect("valid records")
}

#[tokio::test]
async fn each_action_kind_and_what_is_left_alone() {
    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let (wanted, ids) = book(&client).await;
    mock.reset_stats();
    let plan = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    let s = stats(&mock);
    assert_eq!(
        s["by_operation"]["get_organization"], 0,
        "no GET per organization: {s}"
    );
    assert_eq!(
        s["requests"], s["by_operation"]["list_organizations"],
        "{s}"
    );

    let kinds: HashMap<&str, (ActionKind, Option<bool>)> = plan
        .actions
        .iter()
        .map(|a| (a.customer_id.as_str(), (a.kind, a.lock)))
        .collect();
    assert_eq!(
        kinds,
        HashMap::from([
            ("c-new", (ActionKind::Create, Some(true))),
            ("c-drift", (ActionKind::Update, None)),
            ("c-moved", (ActionKind::Update, None)),
            ("c-unpaid", (ActionKind::Lock, Some(true))),
            ("c-paid", (ActionKind::Unlock, Some(false))),
        ]),
        "{plan}"
    );
    let drift = plan
        .actions
        .iter()
        .find(|a| a.customer_id == "c-drift")
        .unwrap();
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = drift
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", Some("Customer 2"), Some("Customer 2 SAS")),
            ("phone_number", None, Some("+33100000002")),
        ],
        "only the fields that differ, before -> after"
    );
    assert_eq!(
        plan.unchanged, 1,
        "c-same, its email differing by case only"
    );
    let conflicts: HashMap<&str, usize> = plan
        .conflicts
        .iter()
        .map(|c| (c.customer_id.as_str(), c.organization_ids.len()))
        .collect();
    assert_eq!(conflicts, HashMap::from([("c-twice", 2), ("c-other", 1)]));
    assert_eq!(plan.unclaimed.len(), 1);
    assert_eq!(plan.unclaimed[0].id, ids["unclaimed"]);
    // New organizations wait for email validation under Scaleway's lock.
    assert!(plan.scaleway_locked.iter().any(|o| o.id == ids["same"]));
    let text = plan.to_string();
    assert!(
        text.starts_with("Plan: 1 to create, 2 to update, 1 to lock, 1 to unlock; 1 unchanged"),
        "{text}"
    );
    assert!(
        text.contains("name: \"Customer 2\" -> \"Customer 2 SAS\""),
        "{text}"
    );

    // The JSON document round-trips; another version is refused.
    let back = Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(back, plan);
    let mut old: Value = serde_json::from_str(&plan.to_json()).unwrap();
    old["version"] = 99.into();
    let e = Plan::from_json(&old.to_string()).unwrap_err();
    assert_eq!(e.field(), Some("plan"), "{e}");

    let outcome = client.apply(&plan, ApplyOptions::default()).await.unwrap();
    assert!(outcome.is_complete(), "{outcome}");
    let again = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    assert!(
        !again.has_changes(),
        "the book is as the records say:\n{again}"
    );
    let all = every_organization(&client).await.unwrap();
    let new = all.iter().find(|o| o.customer_id == "c-new").unwrap();
    assert!(new.is_locked_by_partner());
    assert_eq!(new.comment, "annual billing");
    assert!(
        all.iter()
            .any(|o| o.id == ids["unclaimed"] && !o.is_locked_by_partner())
    );
    assert!(all.iter().any(|o| o.email == "new7@c-moved.test"));

    // Unclaimed organizations are locked only when asked.
    let options = PlanOptions {
        lock_unclaimed: true,
        ..PlanOptions::default()
    };
    let lock_unclaimed = client.plan(&desired(&wanted), options).await.unwrap();
    assert_eq!(lock_unclaimed.actions.len(), 1);
    assert_eq!(
        lock_unclaimed.actions[0].organization_id.as_deref(),
        Some(ids["unclaimed"].as_str())
    );
}

#[tokio::test]
async fn invalid_records_are_refused_with_row_and_field() {
    let good = record("c-1", 1);
    let cases = [
        (
            vec![
                good.clone(),
                with(record("c-2", 2), "email", "not-an-email"),
            ],
            "email",
            "row 2",
        ),
        (vec![good.clone(), record("c-1", 3)], "customer_id", "row 2"),
        (
            vec![with(good.clone(), "state", "closed")],
            "state",
            "row 1",
        ),
        (
            vec![
                good.clone(),
                with(record("c-2", 2), "organization_name", "A"),
            ],
            "organization_name",
            "row 2",
        ),
        (
            vec![with(good.clone(), "comment", "a\u{0}b")],
            "comment",
            "row 1",
        ),
        (
            vec![with(good.clone(), "siren_numbr", "123456789")],
            "siren_numbr",
            "row 1",
        ),
        (
            vec![with(good.clone(), "previous_email", "nope")],
            "previous_email",
            "row 1",
        ),
    ];
    for (records, field, row) in cases {
        let e = Desired::from_values(&records).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.to_string().contains(row), "{e}");
    }
}

#[tokio::test]
async fn a_stale_plan_is_refused_for_exactly_the_organizations_that_changed() {
    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let (wanted, ids) = book(&client).await;
    let plan = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    // Another hand changes two of the organizations the plan will change, and one it will not.
    let rename = |n: &str| UpdateOrganizationRequest::new().owner_lastname(n);
    client
        .update_organization(&ids["drift"], rename("Martin"))
        .await
        .unwrap();
    client
        .update_organization(&ids["paid"], rename("Durand"))
        .await
        .unwrap();
    client
        .update_organization(&ids["same"], rename("Petit"))
        .await
        .unwrap();
    let outcome = client.apply(&plan, ApplyOptions::default()).await.unwrap();
    let stale: Vec<&str> = outcome
        .results
        .iter()
        .filter(|r| r.status == ActionStatus::Stale)
        .map(|r| r.customer_id.as_str())
        .collect();
    assert_eq!(stale, ["c-drift", "c-paid"], "{outcome}");
    let drift = outcome
        .results
        .iter()
        .find(|r| r.customer_id == "c-drift")
        .unwrap();
    assert_eq!(drift.changed.len(), 1);
    assert_eq!(drift.changed[0].field, "owner_lastname");
    assert_eq!(drift.changed[0].after.as_deref(), Some("Martin"));
    let done = outcome
        .results
        .iter()
        .filter(|r| r.status == ActionStatus::Done)
        .count();
    assert_eq!(done, plan.actions.len() - 2, "{outcome}");
    // Nothing was overwritten on the stale ones.
    let all = every_organization(&client).await.unwrap();
    let drift = all.iter().find(|o| o.id == ids["drift"]).unwrap();
    assert_eq!(
        (drift.name.as_str(), drift.phone_number.as_deref()),
        ("Customer 2", None)
    );
    assert!(
        all.iter()
            .find(|o| o.id == ids["paid"])
            .unwrap()
            .is_locked_by_partner()
    );
}

#[tokio::test]
async fn a_journal_resumes_and_refuses_a_second_apply_and_another_plan() {
    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let (wanted, _) = book(&client).await;
    let plan = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("apply.journal");
    let options = ApplyOptions {
        journal: Some(journal.clone()),
        ..ApplyOptions::default()
    };

    let first = client.apply(&plan, options.clone()).await.unwrap();
    assert!(first.is_complete(), "{first}");
    mock.reset_stats();
    let second = client.apply(&plan, options.clone()).await.unwrap();
    assert!(
        second
            .results
            .iter()
            .all(|r| r.status == ActionStatus::AlreadyDone),
        "{second}"
    );
    assert_eq!(stats(&mock)["requests"], 0, "nothing is sent again");

    let other = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    let e = client.apply(&other, options.clone()).await.unwrap_err();
    assert_eq!(e.field(), Some("journal"), "{e}");

    let locked = std::fs::File::open(&journal).unwrap();
    fs_lock(&locked);
    let e = client.apply(&plan, options).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Coordination, "{e}");
    assert!(e.to_string().contains("another apply"), "{e}");
}

/// An apply cancelled before its first action (here, during the listing that checks the
/// actions on existing organizations) is an outcome all the same: the actions recorded done by
/// the journal say so, the others are not started, and `into_result` makes it the error
/// carrying that outcome.
#[tokio::test]
async fn an_apply_cancelled_before_it_starts_says_what_is_done_and_not_started() {
    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let (wanted, _) = book(&client).await;
    let plan = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    let on_existing = plan
        .actions
        .iter()
        .filter(|a| a.organization_id.is_some())
        .count();
    assert!(on_existing > 1, "checked with one listing: {plan}");
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("apply.journal");
    let options = |progress| ApplyOptions {
        journal: Some(journal.clone()),
        progress,
        concurrency: Some(1),
    };
    // A first apply stopped after its first action: one done in the journal.
    let first = client
        .apply(
            &plan,
            options(Some(ProgressFn::stoppable(|_| ControlFlow::Break(())))),
        )
        .await
        .unwrap();
    let e = first.into_result().unwrap_err();
    assert_eq!(e.error.kind(), ErrorKind::ProgressStopped, "{e}");
    let token = CancellationToken::new();
    token.cancel();
    let cancelled = client.with_options(CallOptions {
        cancel: Some(token),
        ..CallOptions::default()
    });
    mock.reset_stats();
    let outcome = cancelled.apply(&plan, options(None)).await.unwrap();
    let statuses: Vec<ActionStatus> = outcome.results.iter().map(|r| r.status).collect();
    let mut expected = vec![ActionStatus::NotStarted; plan.actions.len()];
    expected[0] = ActionStatus::AlreadyDone;
    assert_eq!(statuses, expected, "{outcome}");
    assert_eq!(stats(&mock)["by_status"], json!({}), "nothing answered");
    let e = outcome.into_result().unwrap_err();
    assert_eq!(e.error.kind(), ErrorKind::Cancelled);
    assert!(
        e.to_string().ends_with(&format!(
            "after 1 of {} actions (the others were not started)",
            plan.actions.len()
        )),
        "{e}"
    );
}

/// Holds an exclusive lock on the file as a second apply would.
fn fs_lock(file: &std::fs::File) {
    fs4::FileExt::try_lock(file).expect("the journal is free");
}

/// In a child process: applies the plan with the journal its parent named, then prints DONE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_applies_a_plan() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let parts: Vec<&str> = spec.split(' ').collect();
    let client = Client::builder()
        .api_url(parts[0])
        .secret_key(parts[1])
        .default_organization_id(parts[2])
        .environment([("HOME", "/nonexistent")])
        .rate_limit(0.0)
        .build()
        .unwrap();
    let plan = Plan::from_json(&std::fs::read_to_string(parts[3]).unwrap()).unwrap();
    let options = ApplyOptions {
        journal: Some(parts[4].into()),
        concurrency: Some(3),
        ..ApplyOptions::default()
    };
    let outcome = client.apply(&plan, options).await.unwrap();
    assert!(outcome.is_complete(), "{outcome}");
    println!("DONE");
}

fn spawn_child(mock: &MockServer, plan: &Path, journal: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_applies_a_plan",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(
            CHILD_ENV,
            format!(
                "{} {} {} {} {}",
                mock.url(),
                mock.secret_key(),
                mock.organization_id(),
                plan.display(),
                journal.display()
            ),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the test binary starts again")
}

fn journal_lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.matches('\n').count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_killed_at_random_points_resumes_without_duplicate_or_repeat() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    const RUNS: usize = 20;
    let mut killed_before_done = 0;
    for run in 0..RUNS {
        let mock = emulator(json!({})).await;
        let client = client(&mock);
        let (mut wanted, _) = book(&client).await;
        // Only what can be brought in line: the conflicts stay out of the final comparison.
        wanted.retain(|v| !["c-twice", "c-other"].contains(&v["customer_id"].as_str().unwrap()));
        for n in 0..4 {
            wanted.push(record(&format!("c-extra-{n}"), 20 + n));
        }
        let plan = client
            .plan(&desired(&wanted), PlanOptions::default())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (plan_path, journal) = (dir.path().join("plan.json"), dir.path().join("journal"));
        std::fs::write(&plan_path, plan.to_json()).unwrap();
        mock.reset_stats();

        // Killed once the journal holds a random number of records (header, intents, outcomes).
        let records = 1 + 2 * plan.actions.len();
        let kill_at = 1 + fastrand::usize(..records);
        let mut child = spawn_child(&mock, &plan_path, &journal);
        let watched = journal.clone();
        let finished = tokio::task::spawn_blocking(move || {
            for _ in 0..30_000 {
                if journal_lines(&watched) >= kill_at {
                    break;
                }
                if child.try_wait().unwrap().is_some() {
                    return (child, true);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            child.kill().unwrap(); // SIGKILL
            (child, false)
        });
        let (mut child, ended_first) = finished.await.unwrap();
        child.wait().unwrap();
        if !ended_first && journal_lines(&journal) < records {
            killed_before_done += 1;
        }
        let resumed = spawn_child(&mock, &plan_path, &journal);
        let output = tokio::task::spawn_blocking(move || resumed.wait_with_output().unwrap())
            .await
            .unwrap();
        assert!(
            output.status.success(),
            "run {run}: the resumed apply failed"
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("DONE"));

        let s = stats(&mock);
        let ops = &s["by_operation"];
        let count = |k: ActionKind| plan.actions.iter().filter(|a| a.kind == k).count() as u64;
        let locks = plan.actions.iter().filter(|a| a.lock == Some(true)).count() as u64;
        assert_eq!(
            ops["create_organization"],
            count(ActionKind::Create),
            "run {run}: {s}"
        );
        assert_eq!(
            ops["lock_organization"], locks,
            "run {run}: no lock repeated: {s}"
        );
        assert_eq!(
            ops["unlock_organization"],
            count(ActionKind::Unlock),
            "run {run}: {s}"
        );
        let updates = plan
            .actions
            .iter()
            .filter(|a| !a.changes.is_empty() && a.kind == ActionKind::Update)
            .count()
            + plan
                .actions
                .iter()
                .filter(|a| {
                    a.kind == ActionKind::Create && a.record.as_ref().unwrap().comment.is_some()
                })
                .count();
        assert_eq!(
            ops["update_organization"], updates as u64,
            "run {run}: no update repeated: {s}"
        );
        let all = every_organization(&client).await.unwrap();
        let mut per_customer: HashMap<&str, usize> = HashMap::new();
        for o in &all {
            *per_customer.entry(o.customer_id.as_str()).or_default() += 1;
        }
        assert!(
            per_customer.iter().all(|(c, n)| *n == 1 || *c == "c-twice"),
            "run {run}: no duplicate: {per_customer:?}"
        );
        let after = client
            .plan(&desired(&wanted), PlanOptions::default())
            .await
            .unwrap();
        assert!(
            !after.has_changes(),
            "run {run}: the book is the desired one:\n{after}"
        );
    }
    println!("{RUNS} runs, {killed_before_done} killed before the apply finished");
    assert!(
        killed_before_done >= RUNS / 2,
        "the kills must land mid-apply"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_under_faults_ends_in_the_desired_state_or_says_what_is_left() {
    let mock = emulator(json!({"rate_limit": 50, "seed": 11})).await;
    let client = builder(&mock)
        .rate_limit(50.0)
        .retry_policy(fast_retries(10))
        .create_settle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let (mut wanted, _) = book(&client).await;
    wanted.retain(|v| !["c-twice", "c-other"].contains(&v["customer_id"].as_str().unwrap()));
    for n in 0..20 {
        let mut r = record(&format!("c-soak-{n}"), 40 + n);
        if n % 2 == 0 {
            r["state"] = "suspended".into();
        }
        wanted.push(r);
    }
    let plan = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = ApplyOptions {
        journal: Some(dir.path().join("j")),
        ..ApplyOptions::default()
    };
    inject_soak_faults(&mock, 11);
    let outcome = client.apply(&plan, options.clone()).await.unwrap();
    println!(
        "under faults: {}",
        outcome.to_string().lines().next().unwrap()
    );
    for r in &outcome.results {
        match r.status {
            ActionStatus::Done => {}
            ActionStatus::Failed => assert!(r.error.is_some(), "a failure says why"),
            other => panic!("{other:?}: {outcome}"),
        }
    }
    assert!(
        stats(&mock)["faults_injected"].as_u64().unwrap() > 5,
        "faults were met"
    );
    mock.clear_faults();
    let rest = client.apply(&plan, options).await.unwrap();
    assert!(rest.is_complete(), "{rest}");
    let after = client
        .plan(&desired(&wanted), PlanOptions::default())
        .await
        .unwrap();
    assert!(!after.has_changes(), "{after}");
    let all = every_organization(&client).await.unwrap();
    let mut per_customer: HashMap<&str, usize> = HashMap::new();
    for o in &all {
        *per_customer.entry(o.customer_id.as_str()).or_default() += 1;
    }
    assert!(
        per_customer.iter().all(|(c, n)| *n == 1 || *c == "c-twice"),
        "{per_customer:?}"
    );
}

/// A bulk lock or unlock of organizations picked from what was seen (an audit's rows): the plan
/// is its dry run, made without a request, and its actions are exactly the organizations the
/// apply then changes.
#[tokio::test]
async fn a_lock_selection_previews_exactly_what_its_apply_changes() {
    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let (_, ids) = book(&client).await;
    let seen = every_organization(&client).await.unwrap();
    let picked: Vec<_> = ["paid", "unpaid", "same", "unpaid"]
        .iter()
        .map(|role| seen.iter().find(|o| o.id == ids[role]).unwrap().clone())
        .collect();
    for (lock, expected) in [(true, vec!["unpaid", "same"]), (false, vec!["paid"])] {
        let before = every_organization(&client).await.unwrap();
        let sent = stats(&mock)["requests"].clone();
        let plan = Plan::lock_selection(&picked, lock, seen.len());
        assert_eq!(stats(&mock)["requests"], sent, "the preview sends nothing");
        let mut planned: Vec<&str> = plan
            .actions
            .iter()
            .map(|a| a.organization_id.as_deref().unwrap())
            .collect();
        planned.sort_unstable();
        let mut wanted: Vec<&str> = expected.iter().map(|r| ids[r].as_str()).collect();
        wanted.sort_unstable();
        assert_eq!(planned, wanted);
        assert_eq!(plan.unchanged, picked.len() - wanted.len());
        assert!(
            plan.to_string()
                .contains("unchanged (4 organizations picked, as seen then)"),
            "{plan}"
        );

        let outcome = client.apply(&plan, ApplyOptions::default()).await.unwrap();
        assert!(outcome.interrupted.is_none(), "{outcome}");
        let after = every_organization(&client).await.unwrap();
        let mut changed: Vec<&str> = after
            .iter()
            .filter(|o| !before.contains(o))
            .map(|o| o.id.as_str())
            .collect();
        changed.sort_unstable();
        assert_eq!(
            changed, wanted,
            "the apply changed exactly the preview's organizations"
        );
    }
}
