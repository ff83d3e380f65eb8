//! Realistic organizations for a partner's book: a spread of statuses and lock reasons,
//! creation dates over five years, duplicate customer IDs and emails, every phone shape.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::state::{LOCKED_BY_RESELLER, Lock, LockedBy, Organization, VALIDATE_EMAIL};
use crate::wire::RawPatch;

const FIRST_NAMES: &[&str] = &[
    "Camille", "Hélène", "Lucas", "Léa", "Thomas", "Chloé", "Hugo", "Manon", "Nicolas", "Inès",
    "Julien", "Sarah", "Antoine", "Émilie", "Maxime", "Zoé", "Karim", "Yasmine", "Lukas", "Anna",
    "Jonas", "Sofia", "Matteo", "Giulia", "Pieter", "Sanne", "John", "Emily", "Oliver", "Mia",
];
const LAST_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Fournier", "Bonnet", "Müller",
    "Schmidt", "Rossi", "Bianchi", "De Vries", "Jansen", "Smith", "O'Brien", "Nguyen", "Benali",
    "Kowalski", "Dupont", "Faure",
];
const NAME_STEMS: &[&str] = &[
    "Atelier",
    "Nimbus",
    "Brasserie",
    "Kestrel",
    "Optima",
    "Vega",
    "Lumen",
    "Cobalt",
    "Horizon",
    "Pixel",
    "Azur",
    "Granite",
    "Boréal",
    "Quartz",
    "Helix",
    "Ondine",
    "Sirius",
    "Tandem",
    "Mistral",
    "Orchid",
];
const NAME_TAILS: &[&str] = &[
    "Analytics",
    "Studio",
    "Consulting",
    "Logistique",
    "Santé",
    "Labs",
    "Software",
    "Médias",
    "Systems",
    "Cloud",
    "Immobilier",
    "Retail",
    "Games",
    "Data",
    "Énergie",
];
const LEGAL_FORMS: &[&str] = &["", "", "", " SAS", " SARL", " SA", " GmbH", " Ltd", " BV"];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.fr",
    "example.net",
    "example.org",
    "test.test",
];
const COMMENTS: &[&str] = &[
    "VIP customer",
    "Migrated from the legacy billing system",
    "Pays by wire transfer",
    "Contact the owner by phone only",
    "Reseller discount 10%",
];

fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(..from.len())]
}

/// Lowercase ASCII for email local parts ("Hélène Müller" -> "helene.muller").
fn slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'à' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
                'î' | 'ï' => 'i',
                'ô' | 'ö' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

fn random_uuid(rng: &mut fastrand::Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes()).into_uuid()
}

fn between(rng: &mut fastrand::Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_microseconds().unwrap_or(0).max(1);
    from + TimeDelta::microseconds(rng.i64(0..span))
}

/// `count` organizations of `partner_id`, all created before `now`; reproducible per seed
/// except for the dates, which are relative to `now`.
pub(crate) fn organizations(
    rng: &mut fastrand::Rng,
    partner_id: Uuid,
    count: usize,
    now: DateTime<Utc>,
) -> Vec<Organization> {
    let mut orgs: Vec<Organization> = Vec::with_capacity(count);
    for _ in 0..count {
        let first = pick(rng, FIRST_NAMES);
        let last = pick(rng, LAST_NAMES);
        // Duplicates happen in real books: the same owner for two companies, a reused ID.
        let email = match orgs.len() {
            n if n > 0 && rng.u8(..100) < 5 => orgs[rng.usize(..n)].email.clone(),
            _ => format!("{}.{}@{}", slug(first), slug(last), pick(rng, DOMAINS)),
        };
        let customer_id = match (orgs.len(), rng.u8(..100)) {
            // [choice] A few organizations carry no customer ID (set up before the partner
            // used them); the API refuses an empty one on create, not in stored data.
            (_, 0) => String::new(),
            (n, 1..6) if n > 0 => orgs[rng.usize(..n)].customer_id.clone(),
            _ => format!("CUST-{:06}", rng.u32(1..1_000_000)),
        };
        let name = format!(
            "{} {}{}",
            pick(rng, NAME_STEMS),
            pick(rng, NAME_TAILS),
            pick(rng, LEGAL_FORMS)
        );
        let phone_number = match rng.u8(..100) {
            0..30 => None,
            30..45 => Some(String::new()),
            _ => Some(format!(
                "+33{}{:08}",
                pick(rng, &["1", "6", "7", "9"]),
                rng.u32(..100_000_000)
            )),
        };
        let siren_number = (rng.u8(..100) < 25).then(|| format!("{:09}", rng.u32(..1_000_000_000)));
        let comment = if rng.u8(..100) < 15 {
            pick(rng, COMMENTS).to_owned()
        } else {
            String::new()
        };
        let created_at = between(
            rng,
            now - TimeDelta::days(5 * 365),
            now - TimeDelta::hours(1),
        );
        let validation_lock = Lock {
            by: LockedBy::Scaleway,
            reason: VALIDATE_EMAIL.to_owned(),
            at: created_at + TimeDelta::microseconds(rng.i64(100_000..150_000)),
        };
        let partner_lock = |rng: &mut fastrand::Rng| Lock {
            by: LockedBy::Partner,
            reason: LOCKED_BY_RESELLER.to_owned(),
            at: between(rng, created_at, now),
        };
        let recent = now - created_at < TimeDelta::days(14);
        let mut closed = false;
        let locks = match rng.u8(..100) {
            // New organizations have mostly not validated their email yet.
            _ if recent && rng.bool() => vec![validation_lock],
            0..58 => Vec::new(),
            58..73 => vec![partner_lock(rng)],
            73..81 => vec![validation_lock],
            81..87 => {
                let lock = partner_lock(rng);
                vec![validation_lock, lock]
            }
            // Only the two lock reasons seen in real traffic: here, owners who never
            // validated their email, long after creation.
            87..95 => vec![validation_lock],
            _ => {
                closed = true;
                Vec::new()
            }
        };
        orgs.push(Organization {
            id: random_uuid(rng),
            partner_id,
            name,
            email,
            owner_firstname: first.to_owned(),
            owner_lastname: last.to_owned(),
            customer_id,
            phone_number,
            siren_number,
            comment,
            created_at: crate::state::truncate_micros(created_at),
            closed,
            locks,
            overrides: RawPatch::default(),
            admin_role_requests: Vec::new(),
        });
    }
    orgs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_seeded_book_has_the_spread_of_a_real_one() {
        let now = crate::state::now();
        let orgs = organizations(&mut fastrand::Rng::with_seed(7), Uuid::nil(), 400, now);
        let statuses: HashSet<_> = orgs.iter().map(|o| o.status()).collect();
        assert_eq!(statuses, HashSet::from(["opened", "locked", "closed"]));
        let lockers: HashSet<_> = orgs.iter().map(|o| o.locked_by()).collect();
        assert_eq!(lockers.len(), 3, "{lockers:?}");
        let emails: HashSet<_> = orgs.iter().map(|o| &o.email).collect();
        let customers: HashSet<_> = orgs.iter().map(|o| &o.customer_id).collect();
        assert!(emails.len() < orgs.len() && customers.len() < orgs.len());
        let phones: HashSet<_> = orgs
            .iter()
            .map(|o| o.phone_number.as_deref().map(str::is_empty))
            .collect();
        assert_eq!(phones.len(), 3, "null, empty and set phone numbers");
        assert!(orgs.iter().any(|o| o.siren_number.is_some()));
        assert!(orgs.iter().any(|o| o.customer_id.is_empty()));
        assert!(orgs.iter().all(|o| {
            o.locks
                .iter()
                .all(|l| [VALIDATE_EMAIL, LOCKED_BY_RESELLER].contains(&l.reason.as_str()))
        }));
        assert!(orgs.iter().all(|o| crate::validation::is_email(&o.email)));
        let oldest = orgs.iter().map(|o| o.created_at).min().unwrap();
        assert!(now - oldest > TimeDelta::days(3 * 365));
        assert!(orgs.iter().all(|o| o.created_at < now));
        assert!(
            orgs.iter()
                .all(|o| o.locks.iter().all(|l| l.at >= o.created_at))
        );
        // Reproducible by seed (dates aside).
        let again = organizations(&mut fastrand::Rng::with_seed(7), Uuid::nil(), 400, now);
        assert_eq!(orgs, again);
    }
}
