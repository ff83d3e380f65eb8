//! The Rust figure of the benchmark suite (`benchmarks/run.py`): lists every organization of
//! an emulator with pacing off and prints, as one JSON line, how many it read, the CPU time the
//! whole process spent doing it (every thread, from `/proc/self/task/*/schedstat`) and its
//! resident memory before and at its peak (from `/proc/self/status`): Linux only.
//!
//!     SCW_API_URL=http://127.0.0.1:8080 SCW_SECRET_KEY=... \
//!         cargo run --release -p scaleway-partner --example bench_listing

use scaleway_partner::{Client, ListOrganizationsRequest};

/// Nanoseconds on a CPU, summed over the threads of this process alive now.
fn process_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// A `/proc/self/status` figure given in kB, in MiB.
fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .map_or(0.0, |kb: f64| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .api_url(std::env::var("SCW_API_URL")?)
        .secret_key(std::env::var("SCW_SECRET_KEY")?)
        .rate_limit(0.0)
        .build()?;
    let lister = client.list_organizations(ListOrganizationsRequest::new())?;
    let rss_before = status_mib("VmRSS:");
    let before = process_cpu_ns();
    let started = std::time::Instant::now();
    let orgs = lister.collect_all().await?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = process_cpu_ns().saturating_sub(before) as f64 / 1e9;
    let figures = serde_json::json!({
        "count": orgs.len(),
        "cpu_s": cpu,
        "wall_s": wall,
        "rss_before_mib": rss_before,
        "peak_rss_mib": status_mib("VmHWM:"),
    });
    println!("{figures}");
    Ok(())
}
