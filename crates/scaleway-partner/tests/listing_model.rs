//! Model-based property test of the listing invariant: every organization that matches the
//! filter for the whole read is yielded exactly once, or the read fails with `ListingChanged`.
//!
//! A model book is served over a real loopback socket (keep-alive, no sleeps). Before answering
//! each listing request the server applies the next batch of a random script of mutations:
//! organizations leave the listing or join it, before or after the page asked, and new ones are
//! created (at the end oldest first, at the start newest first). Pages come in hostile shapes
//! too: capped below the size asked, without a total, or starting before where they were asked
//! (which the client may only refuse, with `UnexpectedResponse`); and, in a second strategy,
//! starting after, cut to sizes that change between requests, with a total that lies, or with
//! organizations created at one instant that each answer orders its own way. The oracle checks
//! both the lazy stream (with and without read-ahead: concurrency 1 to 4) and the concurrent
//! `collect_all`. The suite runs a fixed seed, so that CI is repeatable;
//! `LISTING_MODEL_SEED=<seed>` runs another (`random` draws one), and the seed is printed on
//! failure. `LISTING_MODEL_CASES` changes the number of cases, `LISTING_MODEL_TRACE` prints
//! every answer. Cases the model found are kept as named tests.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use scaleway_partner::{Client, ErrorKind, ListOrganizationsRequest, OrderBy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where a mutation lands, relative to the page being asked.
#[derive(Debug, Clone, Copy)]
enum Place {
    Before,
    After,
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// A member at this place (index modulo the candidates) leaves the listing.
    Leave(Place, usize),
    /// An organization outside the listing at this place joins it.
    Join(Place, usize),
    /// A new organization is created: the newest.
    Create,
}

#[derive(Debug, Clone)]
struct Case {
    initial: usize,
    page_size: u32,
    descending: bool,
    /// Serves at most this many records a page, whatever is asked.
    cap: Option<u32>,
    /// Leaves `total_count` out (only when pages are not capped).
    no_total: bool,
    /// Starts each page this many records per page number before where it was asked
    /// (consecutive pages overlap): a server that does not honour offsets, which the client
    /// may refuse with `UnexpectedResponse`.
    behind: Option<usize>,
    /// Starts each page this many records per page number after where it was asked (records
    /// skipped between pages): refused or re-read, never lost.
    late: Option<usize>,
    /// Serves a number of records drawn in this range for each request (at most the size asked):
    /// a cap that changes between requests.
    cuts: Option<(u32, u32)>,
    /// Added to every `total_count` (a total that lies).
    total_lie: i64,
    /// Organizations created in groups of this many at the same instant, which each answer
    /// orders among themselves its own way (a sort on `created_at` alone, unstable for ties).
    ties: Option<u64>,
    concurrency: usize,
    /// One batch per listing request, applied before it is answered.
    script: Vec<Vec<Mutation>>,
}

/// The book: organization keys (creation order); even keys start in the listing, odd ones
/// outside it, so that joins can land anywhere.
struct Model {
    members: BTreeSet<u64>,
    outside: BTreeSet<u64>,
    next_key: u64,
    script: std::vec::IntoIter<Vec<Mutation>>,
    case: Case,
    left: HashSet<u64>,
    requests: usize,
}

impl Model {
    fn new(case: &Case) -> Model {
        let n = case.initial as u64;
        Model {
            members: (0..n).map(|i| 2 * i).collect(),
            outside: (0..n).map(|i| 2 * i + 1).collect(),
            next_key: 2 * n,
            script: case.script.clone().into_iter(),
            case: case.clone(),
            left: HashSet::new(),
            requests: 0,
        }
    }

    /// The listing in the order asked.
    fn listing(&self) -> Vec<u64> {
        let mut l: Vec<u64> = self.members.iter().copied().collect();
        if self.case.descending {
            l.reverse();
        }
        if let Some(group) = self.case.ties {
            // Stable on the instant, in another order for each answer within it.
            let answer = self.requests as u64;
            l.sort_by_key(|&k| {
                let instant = instant(k, Some(group));
                let within = (k ^ answer).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                (
                    if self.case.descending {
                        u64::MAX - instant
                    } else {
                        instant
                    },
                    within,
                )
            });
        }
        l
    }

    fn mutate(&mut self, m: Mutation, start: usize) {
        let listing = self.listing();
        // The key at the page's start splits the book into before and after the page.
        let pivot = listing.get(start).copied();
        let before = |k: u64| match pivot {
            None => true,
            Some(p) if self.case.descending => k > p,
            Some(p) => k < p,
        };
        let pick = |set: &BTreeSet<u64>, place: Place, i: usize| {
            let c: Vec<u64> = set
                .iter()
                .copied()
                .filter(|&k| before(k) == matches!(place, Place::Before))
                .collect();
            (!c.is_empty()).then(|| c[i % c.len()])
        };
        match m {
            Mutation::Leave(place, i) => {
                if let Some(k) = pick(&self.members, place, i) {
                    self.members.remove(&k);
                    self.outside.insert(k);
                    self.left.insert(k);
                }
            }
            Mutation::Join(place, i) => {
                if let Some(k) = pick(&self.outside, place, i) {
                    self.outside.remove(&k);
                    self.members.insert(k);
                }
            }
            Mutation::Create => {
                self.members.insert(self.next_key);
                self.next_key += 1;
            }
        }
    }

    fn answer(&mut self, page: usize, size: usize) -> String {
        self.requests += 1;
        let asked = (page.max(1) - 1) * size;
        let start = asked.saturating_sub(self.case.behind.unwrap_or(0) * (page.max(1) - 1))
            + self.case.late.unwrap_or(0) * (page.max(1) - 1);
        for m in self.script.next().unwrap_or_default() {
            self.mutate(m, start);
        }
        let listing = self.listing();
        let mut served = self.case.cap.map_or(size, |c| size.min(c as usize));
        if let Some((lo, hi)) = self.case.cuts {
            // A cut that changes from one request to the next (a small LCG over the count).
            let draw = (self.requests as u64).wrapping_mul(6_364_136_223_846_793_005) >> 33;
            served = served.min((u64::from(lo) + draw % u64::from(hi - lo + 1)) as usize);
        }
        let records: Vec<String> = listing
            .iter()
            .skip(start)
            .take(served)
            .map(|&k| record(k, self.case.ties))
            .collect();
        let total = if self.case.no_total {
            String::new()
        } else {
            format!(
                ",\"total_count\":{}",
                (listing.len() as i64 + self.case.total_lie).max(0)
            )
        };
        if std::env::var("LISTING_MODEL_TRACE").is_ok() {
            let keys: Vec<u64> = listing.iter().skip(start).take(served).copied().collect();
            eprintln!(
                "page {page} size {size} -> start {start} {keys:?} total {}",
                listing.len()
            );
        }
        format!("{{\"organizations\":[{}]{total}}}", records.join(","))
    }
}

fn id(key: u64) -> String {
    format!("00000000-0000-4000-8000-{key:012}")
}

/// When organization `key` was created (seconds after the model's epoch).
fn instant(key: u64, ties: Option<u64>) -> u64 {
    key / ties.unwrap_or(1)
}

fn record(key: u64, ties: Option<u64>) -> String {
    let at = chrono::DateTime::from_timestamp(1_700_000_000 + instant(key, ties) as i64, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    format!(
        "{{\"id\":\"{}\",\"name\":\"Org {key}\",\"email\":\"o{key}@example.test\",\
         \"customer_id\":\"c{key}\",\"owner_firstname\":\"Jane\",\"owner_lastname\":\"Doe\",\
         \"status\":\"opened\",\"locked_by\":\"unknown_locked_by\",\"lock_reason_message\":\"\",\
         \"comment\":\"\",\"created_at\":\"{at}\",\"locked_at\":null,\"phone_number\":null,\
         \"picture_link\":null,\"siren_number\":null}}",
        id(key)
    )
}

/// Serves the current model on a loopback socket, keeping connections alive.
async fn serve(model: Arc<Mutex<Option<Model>>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let _ = sock.set_nodelay(true);
            let model = model.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end);
                    let (page, size) = common::window(&head);
                    let body = model
                        .lock()
                        .unwrap()
                        .as_mut()
                        .map_or_else(String::new, |m| m.answer(page, size));
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![Just(Place::Before), Just(Place::After)]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (place(), any::<usize>()).prop_map(|(p, i)| Mutation::Leave(p, i)),
        2 => (place(), any::<usize>()).prop_map(|(p, i)| Mutation::Join(p, i)),
        1 => Just(Mutation::Create),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        0usize..120,
        1u32..=30,
        any::<bool>(),
        prop_oneof![3 => Just(None), 1 => (2u32..20).prop_map(Some)],
        prop::bool::weighted(0.2),
        prop_oneof![4 => Just(None), 1 => (1usize..12).prop_map(Some)],
        1usize..5,
        prop::collection::vec(
            prop_oneof![
                2 => Just(Vec::new()),
                3 => prop::collection::vec(mutation(), 1..6),
            ],
            0..25,
        ),
    )
        .prop_map(
            |(initial, page_size, descending, cap, no_total, behind, concurrency, script)| Case {
                initial,
                page_size,
                descending,
                cap,
                // A capped page without a total looks like the end of the listing: nothing can
                // tell them apart (documented), so the model does not serve both at once.
                no_total: no_total && cap.is_none(),
                behind,
                late: None,
                cuts: None,
                total_lie: 0,
                ties: None,
                concurrency,
                script,
            },
        )
}

/// Page shapes the first strategy does not draw (kept apart so that its seeds still reproduce
/// the cases they found): pages that start late, cuts that change between requests, totals that
/// lie, organizations created at the same instant in an order each answer chooses, alone or
/// with the others.
fn hostile_case() -> impl Strategy<Value = Case> {
    (
        case(),
        prop_oneof![2 => Just(None), 1 => (1usize..6).prop_map(Some)],
        prop_oneof![2 => Just(None), 1 => (1u32..4, 0u32..8).prop_map(|(lo, d)| Some((lo, lo + d)))],
        prop_oneof![2 => Just(0i64), 1 => -4i64..=4],
        prop_oneof![2 => Just(None), 1 => (2u64..6).prop_map(Some)],
    )
        .prop_map(|(mut case, late, cuts, total_lie, ties)| {
            case.ties = ties;
            case.late = late;
            case.cuts = cuts;
            // Cut pages without a total look like the end of the listing, as capped ones; and a
            // server that cuts its pages and says it holds fewer records than it does hides its
            // tail consistently: nothing in its answers tells it from a shorter listing.
            case.no_total &= cuts.is_none();
            if total_lie < 0 {
                (case.cap, case.cuts) = (None, None);
            }
            case.total_lie = total_lie;
            case
        })
}

#[derive(Default)]
struct Figures {
    cases: u64,
    reads: u64,
    complete: u64,
    listing_changed: u64,
    refused: u64,
    with_leaves: u64,
    max_requests: usize,
}

/// Reads the model of `case` once, in `how`, and checks the oracle.
async fn check(
    client: &Client,
    model: &Arc<Mutex<Option<Model>>>,
    case: &Case,
    collect: bool,
    figures: &Mutex<Figures>,
) -> Result<(), TestCaseError> {
    *model.lock().unwrap() = Some(Model::new(case));
    let mut request = ListOrganizationsRequest::new().page_size(case.page_size);
    if case.descending {
        request = request.order_by(OrderBy::CreatedAtDesc);
    }
    let lister = client
        .list_organizations(request)
        .unwrap()
        .concurrency(case.concurrency);
    let read = async {
        if collect {
            lister
                .collect_all()
                .await
                .map(|all| all.into_iter().map(|o| o.id).collect())
        } else {
            lister.stream().map_ok(|o| o.id).try_collect().await
        }
    };
    // A bound for a hung read, not a speed claim.
    let read: scaleway_partner::Result<Vec<String>> =
        match tokio::time::timeout(std::time::Duration::from_secs(20), read).await {
            Ok(read) => read,
            Err(_) => {
                let requests = model.lock().unwrap().as_ref().map(|m| m.requests);
                return Err(TestCaseError::fail(format!(
                    "the read did not end ({requests:?} requests, collect_all: {collect})"
                )));
            }
        };
    let m = model.lock().unwrap().take().unwrap();
    let persisting: Vec<String> = (0..case.initial as u64)
        .map(|i| 2 * i)
        .filter(|k| !m.left.contains(k))
        .map(id)
        .collect();
    let mut f = figures.lock().unwrap();
    f.reads += 1;
    f.max_requests = f.max_requests.max(m.requests);
    f.with_leaves += u64::from(!m.left.is_empty());
    match read {
        Ok(ids) => {
            let unique: HashSet<&String> = ids.iter().collect();
            prop_assert_eq!(unique.len(), ids.len(), "an organization yielded twice");
            let missed: Vec<&String> = persisting.iter().filter(|p| !unique.contains(p)).collect();
            prop_assert!(
                missed.is_empty(),
                "{} persisting organizations missed without an error: {:?} ({} requests, collect_all: {})",
                missed.len(),
                missed,
                m.requests,
                collect
            );
            f.complete += 1;
        }
        Err(e) if e.kind() == ErrorKind::ListingChanged => {
            f.listing_changed += 1;
            if std::env::var("LISTING_MODEL_VERBOSE").is_ok() {
                println!("{} requests: {e}: {case:?}", m.requests);
            }
        }
        // Answers that do not start where asked or whose total lies can only betray themselves.
        Err(e)
            if (case.behind.is_some() || case.late.is_some() || case.total_lie != 0)
                && e.kind() == ErrorKind::UnexpectedResponse =>
        {
            f.refused += 1;
        }
        Err(e) => prop_assert!(false, "collect_all: {collect}: {e}"),
    }
    Ok(())
}

/// The seed the suite runs when none is given.
const SUITE_SEED: u64 = 20261206;

/// The seed and number of cases: `LISTING_MODEL_SEED` (`random` draws one) and
/// `LISTING_MODEL_CASES`, the suite's otherwise.
fn seed_and_cases(cases: u32) -> (u64, u32) {
    let cases = std::env::var("LISTING_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let seed = match std::env::var("LISTING_MODEL_SEED").ok().as_deref() {
        Some("random") => fastrand::u64(..),
        Some(seed) => seed
            .parse()
            .expect("LISTING_MODEL_SEED: a number or `random`"),
        None => SUITE_SEED,
    };
    (seed, cases)
}

#[test]
fn every_organization_matching_for_the_whole_read_is_yielded_once_or_listing_changed() {
    let (seed, cases) = seed_and_cases(1000);
    run_model(case(), seed, cases);
}

#[test]
fn hostile_page_shapes_are_read_completely_or_refused() {
    let (seed, cases) = seed_and_cases(500);
    run_model(hostile_case(), seed, cases);
}

/// A server that both caps its pages (3) and starts each page before where it was asked (10
/// records per page), read with `page_size` 1 by the lazy stream, lost every other organization
/// without an error (18 of 21 in the minimal case): a short page that seemed to reach the total
/// was taken as the end although a page before it had been found elsewhere than asked.
#[test]
fn capped_pages_that_start_early_are_read_completely_or_refused() {
    run_model(case(), 738917241864532201, 300);
}

/// The minimal case of the test above.
#[test]
fn capped_pages_that_start_early_minimal() {
    run_case(Case {
        initial: 21,
        page_size: 1,
        descending: false,
        cap: Some(3),
        no_total: false,
        behind: Some(10),
        late: None,
        cuts: None,
        total_lie: 0,
        ties: None,
        concurrency: 1,
        script: vec![
            vec![Mutation::Create, Mutation::Join(Place::After, 0)],
            vec![
                Mutation::Join(Place::After, 0),
                Mutation::Leave(Place::After, 0),
                Mutation::Join(Place::Before, 0),
                Mutation::Join(Place::After, 0),
            ],
        ],
    });
}

/// Found by `hostile_page_shapes_are_read_completely_or_refused` (seed 20261206): a total two
/// below the listing's, with pages of 3, made a full page reaching it look like the end, and the
/// organizations after it were lost without an error. A full page is never the end now.
#[test]
fn a_total_that_lies_low_does_not_end_the_listing_early() {
    run_case(Case {
        initial: 21,
        page_size: 3,
        descending: false,
        cap: None,
        no_total: false,
        behind: None,
        late: None,
        cuts: None,
        total_lie: -2,
        ties: None,
        concurrency: 4,
        script: vec![vec![Mutation::Create]],
    });
}

/// Found by `hostile_page_shapes_are_read_completely_or_refused` (seed 14009174350457007567):
/// pages that start a record per page number early and are cut to 2 to 9 records whatever is
/// asked, read newest first while organizations join and leave before the page. A cut page whose
/// asked end reached the total was taken as the end although its proof put it before: the two
/// oldest organizations were lost without an error, in 3 requests. Where a page is found (its
/// proof's place when that is not where it was asked) now decides.
#[test]
fn cut_pages_that_start_early_are_read_completely_or_refused() {
    use Mutation::{Join, Leave};
    run_case(Case {
        initial: 16,
        page_size: 9,
        descending: true,
        cap: None,
        no_total: false,
        behind: Some(1),
        late: None,
        cuts: Some((2, 9)),
        total_lie: 0,
        ties: None,
        concurrency: 1,
        script: vec![
            vec![],
            vec![],
            vec![
                Join(Place::Before, 0),
                Join(Place::Before, 0),
                Leave(Place::Before, 0),
                Leave(Place::Before, 0),
                Join(Place::Before, 0),
            ],
        ],
    });
}

/// Found by `hostile_page_shapes_are_read_completely_or_refused` (seed 20261206, once it drew
/// ties): organizations created three at a time at the same instant, which each answer orders
/// its own way (a sort on `created_at` alone), lost 1 or 2 of 10 without an error and with no
/// other change: a page proven by the last record of the page before missed those of its
/// instant that this answer put before it. The proof is a record older than that instant now
/// (pages overlap by at least two records).
#[test]
fn organizations_created_at_one_instant_are_read_completely() {
    for (page_size, descending, concurrency) in [(1, false, 1), (1, true, 1), (1, false, 4)] {
        run_case(Case {
            initial: 10,
            page_size,
            descending,
            cap: None,
            no_total: false,
            behind: None,
            late: None,
            cuts: None,
            total_lie: 0,
            ties: Some(3),
            concurrency,
            script: Vec::new(),
        });
    }
}

/// One case, read by both the stream and `collect_all` (`LISTING_MODEL_TRACE` prints every
/// answer).
fn run_case(case: Case) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let model: Arc<Mutex<Option<Model>>> = Arc::default();
    let url = rt.block_on(serve(model.clone()));
    let client = common::builder_for(&url).max_retries(0).build().unwrap();
    let figures = Mutex::new(Figures::default());
    for collect in [false, true] {
        rt.block_on(check(&client, &model, &case, collect, &figures))
            .unwrap();
    }
}

fn run_model(strategy: impl Strategy<Value = Case>, seed: u64, cases: u32) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let model: Arc<Mutex<Option<Model>>> = Arc::default();
    let url = rt.block_on(serve(model.clone()));
    let client = common::builder_for(&url).max_retries(0).build().unwrap();
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let figures = Mutex::new(Figures::default());
    let outcome = runner.run(&strategy, |case| {
        figures.lock().unwrap().cases += 1;
        rt.block_on(async {
            check(&client, &model, &case, false, &figures).await?;
            check(&client, &model, &case, true, &figures).await
        })
    });
    let f = figures.into_inner().unwrap();
    println!(
        "listing model (seed {seed}): {} cases, {} reads: {} complete, {} ListingChanged, {} \
         UnexpectedResponse (pages not where asked); {} reads had organizations leave; at most \
         {} requests for one read",
        f.cases, f.reads, f.complete, f.listing_changed, f.refused, f.with_leaves, f.max_requests
    );
    if let Err(e) = outcome {
        panic!("{e}\nreproduce with LISTING_MODEL_SEED={seed}");
    }
}
