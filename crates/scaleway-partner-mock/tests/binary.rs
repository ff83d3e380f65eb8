//! The binary's contract: first stdout line is the URL, generated credentials follow,
//! --help documents every flag, SIGTERM stops it cleanly, --state survives kill -9.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{http_client, new_org};

const BIN: &str = env!("CARGO_BIN_EXE_scaleway-partner-mock");

struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout: ChildStdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    fn line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .expect("a line on stdout")
    }

    fn no_more_lines(&self) {
        assert!(self.lines.recv_timeout(Duration::from_millis(300)).is_err());
    }

    fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success());
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the emulator did not stop on {signal}");
    }
}

fn value_of<'a>(line: &'a str, name: &str) -> &'a str {
    line.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('='))
        .unwrap_or_else(|| panic!("expected {name}=..., got {line:?}"))
}

/// Creates customer c-1's organization through the running binary at `url`; returns its JSON.
async fn create(http: &reqwest::Client, url: &str, key: &str, partner: &str) -> serde_json::Value {
    let created = http
        .post(format!("{url}/partner/v1/organizations"))
        .header("X-Auth-Token", key)
        .header("Content-Type", "application/json")
        .body(new_org(partner, "c-1").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    serde_json::from_slice(&created.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn without_flags_it_picks_a_port_and_prints_generated_credentials() {
    let mut running = Running::start(&[]);
    let url = running.line();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let key = running.line();
    let key = value_of(&key, "SCW_SECRET_KEY").to_owned();
    let org = running.line();
    let org = value_of(&org, "SCW_DEFAULT_ORGANIZATION_ID").to_owned();
    assert!(uuid::Uuid::parse_str(&key).is_ok() && uuid::Uuid::parse_str(&org).is_ok());

    let http = http_client();
    let health = http
        .get(format!("{url}/_mock/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    create(&http, &url, &key, &org).await;
    let status = running.stop_with("-TERM");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn with_flags_it_uses_the_given_partner_and_options() {
    let key = uuid::Uuid::new_v4().to_string();
    let org = uuid::Uuid::new_v4().to_string();
    let mut running = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--secret-key",
        &key,
        "--organization-id",
        &org,
        "--seed",
        "5",
        "--seed-organizations",
        "10",
        "--rate-limit",
        "7",
        "--latency-ms",
        "1",
    ]);
    let url = running.line();
    running.no_more_lines();
    let response = http_client()
        .get(format!("{url}/partner/v1/organizations?page_size=3"))
        .header("X-Auth-Token", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-ratelimit-limit"], "7, 7;w=1");
    let page: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(page["total_count"], 10);
    assert_eq!(page["organizations"].as_array().unwrap().len(), 3);
    // Ctrl-C stops it cleanly too.
    let status = running.stop_with("-INT");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn with_a_state_file_a_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state = state.to_str().unwrap();
    let key = uuid::Uuid::new_v4().to_string();
    let org = uuid::Uuid::new_v4().to_string();
    let args = [
        "--secret-key",
        &key,
        "--organization-id",
        &org,
        "--state",
        state,
    ];
    let http = http_client();

    let mut first = Running::start(&args);
    let url = first.line();
    let created = create(&http, &url, &key, &org).await;
    first.child.kill().unwrap(); // SIGKILL: no chance to flush anything
    first.child.wait().unwrap();

    let second = Running::start(&args);
    let url = second.line();
    let id = created["id"].as_str().unwrap();
    let got = http
        .get(format!("{url}/partner/v1/organizations/{id}"))
        .header("X-Auth-Token", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let got: serde_json::Value = serde_json::from_slice(&got.bytes().await.unwrap()).unwrap();
    assert_eq!(got, created);
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--secret-key",
        "--organization-id",
        "--partner",
        "--seed ",
        "--seed-organizations",
        "--latency-ms",
        "--jitter-ms",
        "--create-latency-ms",
        "--realistic-latency",
        "--rate-limit ",
        "--rate-limit-style",
        "--state",
        "--unset-siren-number",
        "--max-body-bytes",
        "--max-connections",
        "--header-read-timeout-ms",
        "--fault-server-error",
        "--fault-reset-before",
        "--fault-reset-after",
        "--fault-truncate",
        "--fault-slow",
        "--slow-ms",
        "--fault-apply-late",
        "--apply-late-ms",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
    // Every option line is followed by a description (none undocumented).
    let undocumented: Vec<&str> = help
        .lines()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0].trim_start().starts_with("--") && w[1].trim().is_empty())
        .map(|w| w[0])
        .collect();
    assert!(undocumented.is_empty(), "{undocumented:?}");
}

#[test]
fn bad_flags_are_refused_with_a_message() {
    for args in [
        &["--fault-truncate", "2"][..],
        &["--secret-key", "7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e"][..],
        &["--secret-key", "nope", "--organization-id", "nope"][..],
        &["--rate-limit-style", "polite"][..],
    ] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        assert!(!status.success(), "{args:?}");
        assert!(stdout.is_empty(), "{args:?}: no URL on failure");
        assert!(!stderr.is_empty(), "{args:?}");
        assert!(
            !stderr.contains("7fbc0d5f-9d3e"),
            "keys stay out of messages: {stderr}"
        );
    }
}
