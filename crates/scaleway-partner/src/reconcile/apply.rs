//! Carrying a plan out: each action through the safe primitives (creates by `ensure`, every
//! call paced and bounded), refused when its organization changed since the plan, recorded in
//! a journal before and after it is sent.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use super::journal::Journal;
use super::{Action, ActionKind, FieldChange, Plan, Seen};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::models::{ListOrganizationsRequest, Organization, UpdateOrganizationRequest};
use crate::progress::ProgressFn;

/// Options of [`Client::apply`].
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// The journal file (created if absent). With one, an interrupted apply run again with
    /// the same plan and journal skips what was done; without, nothing survives the process.
    pub journal: Option<PathBuf>,
    /// Called after each action. A [`ProgressFn::stoppable`] callback can stop the apply.
    pub progress: Option<ProgressFn>,
    /// Actions handled at once (the client's `bulk_concurrency` by default).
    pub concurrency: Option<usize>,
}

/// How an action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Done by this apply (or found done: an interrupted earlier apply had sent it).
    Done,
    /// Recorded as done in the journal by an earlier apply: not looked at again.
    AlreadyDone,
    /// Refused: the organization changed since the plan (see `changed`). Nothing was sent.
    Stale,
    /// Failed (see `error`); run the apply again with its journal to retry what is left.
    Failed,
    /// Not started: the apply was cancelled or stopped first.
    NotStarted,
}

impl ActionStatus {
    /// The status as the outcome's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Done => "done",
            ActionStatus::AlreadyDone => "already_done",
            ActionStatus::Stale => "stale",
            ActionStatus::Failed => "failed",
            ActionStatus::NotStarted => "not_started",
        }
    }
}

/// The result of one action of the plan.
#[derive(Debug)]
pub struct ActionResult {
    /// Its position in [`Plan::actions`].
    pub index: usize,
    /// Its kind.
    pub kind: ActionKind,
    /// The customer.
    pub customer_id: String,
    /// The organization (for a create, the one created or found, once known).
    pub organization_id: Option<String>,
    /// How it ended.
    pub status: ActionStatus,
    /// For a stale action: each field that changed since the plan, `before` as the plan saw
    /// it, `after` as it is now.
    pub changed: Vec<FieldChange>,
    /// For a failed one: the error, and what was done before it.
    pub error: Option<Error>,
    /// What was done before a failure (a create done, its lock not), when anything was.
    pub done_before_error: Option<String>,
}

impl ActionResult {
    /// The result as JSON (the form the bindings return).
    pub fn to_value(&self) -> Value {
        json!({
            "index": self.index,
            "kind": self.kind.as_str(),
            "customer_id": self.customer_id,
            "organization_id": self.organization_id,
            "status": self.status.as_str(),
            "changed": self.changed,
            "error": self.error.as_ref().map(|e| json!({
                "code": e.kind().info().code, "message": e.to_string(),
            })),
            "done_before_error": self.done_before_error,
        })
    }
}

/// What an apply did: one result per action of the plan, in plan order.
///
/// An interrupted apply (cancelled, past its total timeout, stopped by its progress callback)
/// is an outcome too, with [`interrupted`](Self::interrupted) set: the actions in flight were
/// cut short and say so (failed, with the cancellation or the deadline as their error), those
/// never started are [`ActionStatus::NotStarted`]. [`into_result`](Self::into_result) is the
/// rule the bindings follow: an interrupted apply is an error that carries its outcome, as an
/// interrupted bulk call is one that carries its results.
#[derive(Debug)]
pub struct ApplyOutcome {
    /// The plan's identity.
    pub plan_id: String,
    /// One result per action.
    pub results: Vec<ActionResult>,
    /// Why the apply stopped early ([`Error::Cancelled`] or [`Error::ProgressStopped`]).
    pub interrupted: Option<Error>,
}

impl ApplyOutcome {
    /// Results per status.
    pub fn counts(&self) -> HashMap<ActionStatus, usize> {
        let mut counts = HashMap::new();
        for r in &self.results {
            *counts.entry(r.status).or_insert(0) += 1;
        }
        counts
    }

    /// The outcome, or, when the apply was interrupted, the error saying why with this
    /// outcome in it (boxed: an outcome and an error make a large `Err`).
    pub fn into_result(mut self) -> std::result::Result<ApplyOutcome, Box<ApplyInterrupted>> {
        match self.interrupted.take() {
            None => Ok(self),
            Some(error) => Err(Box::new(ApplyInterrupted {
                error,
                outcome: self,
            })),
        }
    }

    /// True when every action is done (now or by an earlier apply).
    pub fn is_complete(&self) -> bool {
        self.results
            .iter()
            .all(|r| matches!(r.status, ActionStatus::Done | ActionStatus::AlreadyDone))
    }

    /// The outcome as JSON (the form the bindings return), its text (`Display`) in `text`.
    pub fn to_value(&self) -> Value {
        json!({
            "plan_id": self.plan_id,
            "text": self.to_string(),
            "results": self.results.iter().map(ActionResult::to_value).collect::<Vec<_>>(),
            "interrupted": self.interrupted.as_ref().map(|e| json!({
                "code": e.kind().info().code, "message": e.to_string(),
            })),
        })
    }
}

impl fmt::Display for ApplyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = self.counts();
        let n = |s| counts.get(&s).copied().unwrap_or(0);
        writeln!(
            f,
            "Apply: {} done, {} already done, {} stale, {} failed, {} not started",
            n(ActionStatus::Done),
            n(ActionStatus::AlreadyDone),
            n(ActionStatus::Stale),
            n(ActionStatus::Failed),
            n(ActionStatus::NotStarted)
        )?;
        for r in &self.results {
            let target = r.organization_id.as_deref().unwrap_or("new");
            match r.status {
                ActionStatus::Stale => {
                    let fields: Vec<String> = r
                        .changed
                        .iter()
                        .map(|c| {
                            format!("{} is now {:?}", c.field, c.after.as_deref().unwrap_or(""))
                        })
                        .collect();
                    writeln!(
                        f,
                        "  stale  {} {} {target}: changed since the plan ({})",
                        r.kind.as_str(),
                        r.customer_id,
                        fields.join(", ")
                    )?;
                }
                ActionStatus::Failed => writeln!(
                    f,
                    "  failed {} {} {target}: {}{}",
                    r.kind.as_str(),
                    r.customer_id,
                    r.done_before_error
                        .as_deref()
                        .map(|d| format!("{d}; then "))
                        .unwrap_or_default(),
                    r.error
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                )?,
                _ => {}
            }
        }
        if let Some(e) = &self.interrupted {
            writeln!(f, "Interrupted: {e}")?;
        }
        Ok(())
    }
}

/// An apply that stopped before it handled every action ([`ApplyOutcome::into_result`]).
#[derive(Debug)]
pub struct ApplyInterrupted {
    /// Why: [`Error::Cancelled`], [`Error::DeadlineExceeded`] or [`Error::ProgressStopped`].
    pub error: Error,
    /// What was done, failed and not started (its `interrupted` taken out into `error`).
    pub outcome: ApplyOutcome,
}

impl fmt::Display for ApplyInterrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let started = self
            .outcome
            .results
            .iter()
            .filter(|r| r.status != ActionStatus::NotStarted)
            .count();
        write!(
            f,
            "{} after {started} of {} actions (the others were not started)",
            self.error,
            self.outcome.results.len()
        )
    }
}

impl std::error::Error for ApplyInterrupted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What one action ended with, before it becomes an [`ActionResult`].
struct Ended {
    status: ActionStatus,
    organization_id: Option<String>,
    changed: Vec<FieldChange>,
    error: Option<Error>,
    done_before_error: Option<String>,
}

impl Ended {
    fn done(org: &Organization) -> Ended {
        Ended {
            status: ActionStatus::Done,
            organization_id: Some(org.id.clone()),
            changed: Vec::new(),
            error: None,
            done_before_error: None,
        }
    }

    fn failed(organization_id: Option<String>, error: Error, done: Option<String>) -> Ended {
        Ended {
            status: ActionStatus::Failed,
            organization_id,
            changed: Vec::new(),
            error: Some(error),
            done_before_error: done,
        }
    }
}

/// Where an action reads its organization's current state: one listing read at the start,
/// or a GET inside the action.
enum Refresh {
    Listed(HashMap<String, Organization>),
    Get,
}

impl Client {
    /// Carries `plan` out. Each action is checked against the organization as it is now
    /// (read again: one listing when the plan has more actions on existing organizations than
    /// the book has pages, else one GET inside each action, whichever needs fewer requests)
    /// and refused as [`ActionStatus::Stale`] when a field it saw changed to something else
    /// than what it sets, so nothing another hand changed is overwritten. Creates go through
    /// [`ensure_organization`](Client::ensure_organization); every call is paced and bounded
    /// like any other, `concurrency` actions at once.
    ///
    /// With a journal, each action's intent is on disk before anything is sent and its outcome
    /// after; run again with the same plan and journal, an apply skips the actions recorded
    /// done and finds the ones in flight when it stopped (a create by `ensure`, a change by
    /// its organization already being as the action leaves it), so none is sent twice.
    /// Two applies on one journal refuse each other ([`Error::Coordination`]); a journal of
    /// another plan is refused ([`Error::Validation`]).
    ///
    /// Fails only when the journal cannot be used, or the listing cannot be read; every
    /// action's failure is in its result. Cancellation ([`CallOptions::cancel`](crate::CallOptions::cancel)),
    /// the total timeout (which bounds the whole apply) and a stopping progress callback
    /// start nothing new and cut the actions in flight short: what was not started is
    /// [`ActionStatus::NotStarted`] and [`ApplyOutcome::interrupted`] says why
    /// ([`ApplyOutcome::into_result`] makes that an error carrying the outcome).
    pub async fn apply(&self, plan: &Plan, options: ApplyOptions) -> Result<ApplyOutcome> {
        let journal = match &options.journal {
            Some(path) => Some(Arc::new(Journal::open(path, &plan.id)?)),
            None => None,
        };
        let finished = |i: usize| journal.as_ref().is_some_and(|j| j.is_done(i));
        let pending: Vec<usize> = (0..plan.actions.len()).filter(|i| !finished(*i)).collect();
        let to_check = pending
            .iter()
            .filter(|i| plan.actions[**i].organization_id.is_some())
            .count();
        let pages = plan.book_size.div_ceil(100).max(1);
        let refresh = Arc::new(if to_check > pages {
            let listed = self
                .list_organizations(ListOrganizationsRequest::new())?
                .collect_all()
                .await;
            match listed {
                Ok(listed) => {
                    Refresh::Listed(listed.into_iter().map(|o| (o.id.clone(), o)).collect())
                }
                // Interrupted before any action started: an outcome all the same.
                Err(e) if is_interruption(&e) => {
                    return Ok(outcome(plan, HashMap::new(), finished, Some(e)));
                }
                Err(e) => return Err(e),
            }
        } else {
            Refresh::Get
        });
        let mut bulk = self.bulk();
        if let Some(n) = options.concurrency {
            bulk = bulk.concurrency(n);
        }
        if let Some(p) = options.progress.clone() {
            bulk = bulk.on_progress(p);
        }
        let actions: Vec<(usize, Action)> = pending
            .iter()
            .map(|i| (*i, plan.actions[*i].clone()))
            .collect();
        let ran = bulk
            .run_all(
                actions.len(),
                actions.into_iter().enumerate(),
                |client, (slot, (i, action))| {
                    let journal = journal.clone();
                    let refresh = refresh.clone();
                    async move {
                        let ended = client
                            .run_action(i, &action, journal.as_deref(), &refresh)
                            .await;
                        vec![(slot, Ok::<_, Error>(ended))]
                    }
                },
            )
            .await;
        let (ended, interrupted): (Vec<Option<Ended>>, _) = match ran {
            Ok(all) => (all.into_iter().map(|r| r.ok()).collect(), None),
            Err(stopped) => (
                stopped
                    .results
                    .into_iter()
                    .map(|r| r.and_then(|r| r.ok()))
                    .collect(),
                Some(stopped.error),
            ),
        };
        let by_index: HashMap<usize, Ended> = pending
            .iter()
            .zip(ended)
            .filter_map(|(i, e)| e.map(|e| (*i, e)))
            .collect();
        Ok(outcome(plan, by_index, finished, interrupted))
    }

    async fn run_action(
        &self,
        index: usize,
        action: &Action,
        journal: Option<&Journal>,
        refresh: &Refresh,
    ) -> Ended {
        let ended = match &action.organization_id {
            None => self.run_create(index, action, journal).await,
            Some(id) => self.run_change(index, id, action, journal, refresh).await,
        };
        if let Some(j) = journal {
            let message = ended.error.as_ref().map(ToString::to_string);
            let recorded = j.outcome(
                index,
                ended.status.as_str(),
                ended.organization_id.as_deref(),
                message.as_deref(),
            );
            if let Err(e) = recorded {
                let sent =
                    (ended.status == ActionStatus::Done).then(|| "the action was done".into());
                return Ended::failed(ended.organization_id, e, sent);
            }
        }
        ended
    }

    async fn run_create(&self, index: usize, action: &Action, journal: Option<&Journal>) -> Ended {
        let Some(record) = &action.record else {
            let e = Error::validation("plan", "a create action without its record");
            return Ended::failed(None, e, None);
        };
        if let Some(Err(e)) = journal.map(|j| j.intent(index, &action.customer_id)) {
            return Ended::failed(None, e, None);
        }
        let mut org = match self.ensure_organization(record.create_request()).await {
            Ok(ensured) => ensured.organization,
            Err(e) => return Ended::failed(None, e, None),
        };
        let made = format!("organization {} created (or found)", org.id);
        if let Some(comment) = record.comment.as_ref().filter(|c| **c != org.comment) {
            let update = UpdateOrganizationRequest::new().comment(comment.clone());
            match self.update_organization(&org.id, update).await {
                Ok(o) => org = o,
                Err(e) => return Ended::failed(Some(org.id.clone()), e, Some(made)),
            }
        }
        if action.lock == Some(true) && !org.is_locked_by_partner() {
            match self.lock_organization(&org.id).await {
                Ok(o) => org = o,
                Err(e) => {
                    let done = format!("{made}, its comment set; its lock not placed");
                    return Ended::failed(Some(org.id.clone()), e, Some(done));
                }
            }
        }
        Ended::done(&org)
    }

    async fn run_change(
        &self,
        index: usize,
        id: &str,
        action: &Action,
        journal: Option<&Journal>,
        refresh: &Refresh,
    ) -> Ended {
        let current = match refresh {
            Refresh::Listed(book) => book.get(id).cloned().ok_or(None),
            Refresh::Get => self.get_organization(id).await.map_err(Some),
        };
        let current = match current {
            Ok(org) => org,
            Err(e) if e.as_ref().is_none_or(|e| e.kind() == ErrorKind::NotFound) => {
                return Ended {
                    status: ActionStatus::Stale,
                    organization_id: Some(id.to_owned()),
                    changed: vec![FieldChange {
                        field: "organization".into(),
                        before: Some(id.to_owned()),
                        after: None,
                    }],
                    error: None,
                    done_before_error: None,
                };
            }
            Err(e) => return Ended::failed(Some(id.to_owned()), e.expect("some"), None),
        };
        let (Some(seen), Some(target)) = (action.seen.as_ref(), action.target()) else {
            let e = Error::validation("plan", "a change action without what it saw");
            return Ended::failed(Some(id.to_owned()), e, None);
        };
        let now = Seen::of(&current).values();
        let changed: Vec<FieldChange> = seen
            .values()
            .into_iter()
            .zip(target.values())
            .zip(now.iter())
            .filter(|(((_, saw), (_, goal)), (_, is))| is != saw && is != goal)
            .map(|(((field, saw), _), (_, is))| FieldChange {
                field: field.into(),
                before: saw,
                after: is.clone(),
            })
            .collect();
        if !changed.is_empty() {
            return Ended {
                status: ActionStatus::Stale,
                organization_id: Some(id.to_owned()),
                changed,
                error: None,
                done_before_error: None,
            };
        }
        if let Some(Err(e)) = journal.map(|j| j.intent(index, &action.customer_id)) {
            return Ended::failed(Some(id.to_owned()), e, None);
        }
        let mut org = current;
        // Only what is not yet as the action leaves it: an earlier, interrupted apply may have
        // sent part of it.
        let remaining: Vec<FieldChange> = action
            .changes
            .iter()
            .filter(|c| {
                let is = now.iter().find(|(f, _)| *f == c.field).map(|(_, v)| v);
                is != Some(&c.after)
            })
            .cloned()
            .collect();
        let update = Action {
            changes: remaining,
            kind: ActionKind::Update,
            ..action.clone()
        }
        .update_request();
        if let Some(update) = update {
            match self.update_organization(id, update).await {
                Ok(o) => org = o,
                Err(e) => return Ended::failed(Some(id.to_owned()), e, None),
            }
        }
        match action.lock {
            Some(true) if !org.is_locked_by_partner() => match self.lock_organization(id).await {
                Ok(o) => org = o,
                Err(e) => return Ended::failed(Some(id.to_owned()), e, fields_done(action)),
            },
            Some(false) if org.is_locked_by_partner() => match self.unlock_organization(id).await {
                Ok(o) => org = o,
                Err(e) => return Ended::failed(Some(id.to_owned()), e, fields_done(action)),
            },
            _ => {}
        }
        Ended::done(&org)
    }
}

/// Cancelled or out of time: what stops an apply short, rather than failing it.
fn is_interruption(e: &Error) -> bool {
    matches!(e, Error::Cancelled { .. } | Error::DeadlineExceeded { .. })
}

/// One result per action of the plan: how it ended, or already done (`finished` in the
/// journal), or not started.
fn outcome(
    plan: &Plan,
    mut by_index: HashMap<usize, Ended>,
    finished: impl Fn(usize) -> bool,
    interrupted: Option<Error>,
) -> ApplyOutcome {
    let results = plan
        .actions
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let ended = by_index.remove(&i).unwrap_or_else(|| Ended {
                status: if finished(i) {
                    ActionStatus::AlreadyDone
                } else {
                    ActionStatus::NotStarted
                },
                organization_id: action.organization_id.clone(),
                changed: Vec::new(),
                error: None,
                done_before_error: None,
            });
            ActionResult {
                index: i,
                kind: action.kind,
                customer_id: action.customer_id.clone(),
                organization_id: ended.organization_id,
                status: ended.status,
                changed: ended.changed,
                error: ended.error,
                done_before_error: ended.done_before_error,
            }
        })
        .collect();
    ApplyOutcome {
        plan_id: plan.id.clone(),
        results,
        interrupted,
    }
}

fn fields_done(action: &Action) -> Option<String> {
    (!action.changes.is_empty())
        .then(|| "its fields were updated; the lock change was not made".into())
}
