//! The directory behind the portal: accounts and their role assignments, generated from `--seed`
//! and editable through the admin API.
//!
//! Names are realistic (`acme-payments-prod`, `AdministratorAccess`), ids are 12 digits, and the
//! whole thing is compact: role names are shared `Arc<str>`s, so 10,000 accounts × 5 roles cost a
//! few megabytes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

const COMPANIES: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "contoso",
    "stark",
    "wayne",
    "tyrell",
    "cyberdyne",
    "soylent",
    "vandelay",
];

const DOMAINS: &[&str] = &[
    "payments",
    "identity",
    "checkout",
    "search",
    "analytics",
    "billing",
    "platform",
    "data",
    "ml",
    "web",
    "mobile",
    "api",
    "catalog",
    "orders",
    "inventory",
    "shipping",
    "notifications",
    "logging",
    "security",
    "network",
    "shared-services",
    "marketing",
    "crm",
    "reporting",
    "etl",
    "streaming",
    "media",
    "auth",
    "gateway",
    "ledger",
    "fraud",
    "risk",
    "support",
    "devtools",
    "ci",
    "observability",
    "backup",
    "edge",
    "iot",
    "warehouse",
];

const ENVS: &[&str] = &["prod", "dev", "staging", "test", "qa", "sandbox"];

/// Permission-set names, most common first.
pub(crate) const ROLES: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "DeveloperAccess",
    "Billing",
    "SecurityAudit",
    "ViewOnlyAccess",
    "DatabaseAdministrator",
    "NetworkAdministrator",
    "DataScientist",
    "SupportUser",
    "SystemAdministrator",
];

/// One account and the roles the signed-in user has in it.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) id: u64,
    pub(crate) name: Box<str>,
    pub(crate) email: Box<str>,
    pub(crate) roles: Vec<Arc<str>>,
}

impl Account {
    /// The 12-digit account id.
    pub(crate) fn id_string(&self) -> String {
        format!("{:012}", self.id)
    }
}

/// All accounts in listing order. Accounts whose last role was removed stay in the vector (so
/// pagination tokens, which are vector positions, stay valid) but are not listed.
#[derive(Debug, Clone)]
pub(crate) struct Directory {
    pub(crate) company: &'static str,
    pub(crate) user_name: String,
    accounts: Vec<Account>,
    by_id: HashMap<u64, usize>,
    interned: HashMap<Box<str>, Arc<str>>,
}

/// splitmix64: a tiny, well-mixed deterministic hash for seeded generation.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Directory {
    /// Generates `accounts` accounts with `roles_per_account` roles each from `seed`.
    pub(crate) fn generate(seed: u64, accounts: usize, roles_per_account: usize) -> Self {
        let company = COMPANIES[(seed % COMPANIES.len() as u64) as usize];
        let mut dir = Directory {
            company,
            user_name: format!("jane.doe@{company}.example"),
            accounts: Vec::with_capacity(accounts),
            by_id: HashMap::with_capacity(accounts),
            interned: HashMap::new(),
        };
        // A seeded permutation of the domains, so different seeds give different account sets.
        let mut domains: Vec<&str> = DOMAINS.to_vec();
        for i in (1..domains.len()).rev() {
            let j = (mix(seed ^ 0xD0_3A1F ^ i as u64) % (i as u64 + 1)) as usize;
            domains.swap(i, j);
        }
        let mut used = HashSet::with_capacity(accounts);
        for i in 0..accounts {
            let name = if i == 0 {
                format!("{company}-management")
            } else {
                let k = i - 1;
                let d = k / ENVS.len();
                let env = ENVS[k % ENVS.len()];
                let domain = domains[d % domains.len()];
                let round = d / domains.len();
                if round == 0 {
                    format!("{company}-{domain}-{env}")
                } else {
                    format!("{company}-{domain}-{env}-{}", round + 1)
                }
            };
            let mut h = mix(seed.wrapping_mul(0x1000_0001) ^ i as u64);
            let id = loop {
                let candidate = h % 1_000_000_000_000;
                // Real account ids rarely start with 0; keep them 12 visible digits anyway.
                if candidate >= 100_000_000_000 && used.insert(candidate) {
                    break candidate;
                }
                h = mix(h);
            };
            let offset = if i == 0 {
                0
            } else {
                (mix(h ^ 0x5EED) % 4) as usize
            };
            let roles = (0..roles_per_account)
                .map(|r| dir.role_name_for(offset + r))
                .collect();
            let email = format!("aws+{}@{company}.example", &name[company.len() + 1..]);
            dir.push(Account {
                id,
                name: name.into_boxed_str(),
                email: email.into_boxed_str(),
                roles,
            });
        }
        dir
    }

    fn role_name_for(&mut self, n: usize) -> Arc<str> {
        if n < ROLES.len() {
            self.intern(ROLES[n])
        } else {
            self.intern(&format!("CustomRole{:03}", n - ROLES.len() + 1))
        }
    }

    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(a) = self.interned.get(name) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(name);
        self.interned.insert(Box::from(name), a.clone());
        a
    }

    fn push(&mut self, account: Account) {
        self.by_id.insert(account.id, self.accounts.len());
        self.accounts.push(account);
    }

    /// The account with this id, whether or not it still has roles.
    pub(crate) fn get(&self, id: u64) -> Option<&Account> {
        self.by_id.get(&id).map(|&i| &self.accounts[i])
    }

    /// True when the user holds `role` in account `id`.
    #[cfg(test)]
    pub(crate) fn has_role(&self, id: u64, role: &str) -> bool {
        self.get(id)
            .is_some_and(|a| a.roles.iter().any(|r| &**r == role))
    }

    /// Up to `max` listed accounts starting at position `start`, and the position to continue at.
    pub(crate) fn page(&self, start: usize, max: usize) -> (Vec<&Account>, Option<usize>) {
        let mut out = Vec::with_capacity(max.min(100));
        let mut i = start;
        while i < self.accounts.len() {
            let a = &self.accounts[i];
            if !a.roles.is_empty() {
                if out.len() == max {
                    return (out, Some(i));
                }
                out.push(a);
            }
            i += 1;
        }
        (out, None)
    }

    /// Number of listed accounts and of account × role assignments.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let listed = self.accounts.iter().filter(|a| !a.roles.is_empty()).count();
        let assignments = self.accounts.iter().map(|a| a.roles.len()).sum();
        (listed, assignments)
    }

    /// Removes one role, or every role (`role == None`), from an account. Returns how many
    /// assignments went away.
    pub(crate) fn remove(&mut self, id: u64, role: Option<&str>) -> usize {
        let Some(&i) = self.by_id.get(&id) else {
            return 0;
        };
        let roles = &mut self.accounts[i].roles;
        let before = roles.len();
        match role {
            Some(r) => roles.retain(|x| &**x != r),
            None => roles.clear(),
        }
        before - roles.len()
    }

    /// Adds a role assignment, creating the account (named `name`, or after its id) if new.
    /// Returns true when something was added.
    pub(crate) fn add(
        &mut self,
        id: u64,
        role: &str,
        name: Option<&str>,
        email: Option<&str>,
    ) -> bool {
        let role = self.intern(role);
        if let Some(&i) = self.by_id.get(&id) {
            let a = &mut self.accounts[i];
            if let Some(n) = name {
                a.name = n.into();
            }
            if let Some(e) = email {
                a.email = e.into();
            }
            if a.roles.contains(&role) {
                return false;
            }
            a.roles.push(role);
            return true;
        }
        let company = self.company;
        let name = name.map_or_else(
            || format!("{company}-account-{:04}", id % 10_000),
            str::to_owned,
        );
        let email = email.map_or_else(
            || {
                format!(
                    "aws+{}@{company}.example",
                    name.trim_start_matches(company).trim_start_matches('-')
                )
            },
            str::to_owned,
        );
        self.push(Account {
            id,
            name: name.into_boxed_str(),
            email: email.into_boxed_str(),
            roles: vec![role],
        });
        true
    }

    /// The role ARN's stable suffix for a permission set, like real `AWSReservedSSO_X_<16 hex>`.
    pub(crate) fn reserved_role_name(&self, role: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in role.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("AWSReservedSSO_{role}_{:016x}", mix(h))
    }
}

/// Parses a 12-digit account id.
pub(crate) fn parse_account_id(s: &str) -> Option<u64> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_realistic_unique_accounts() {
        let d = Directory::generate(0, 500, 5);
        let (listed, assignments) = d.counts();
        assert_eq!((listed, assignments), (500, 2500));
        let (page, next) = d.page(0, 3);
        assert_eq!(&*page[0].name, "acme-management");
        assert!(page[1].name.starts_with("acme-") && page[1].name.ends_with("-prod"));
        assert_eq!(&*page[0].roles[0], "AdministratorAccess");
        assert_eq!(page[0].id_string().len(), 12);
        assert_eq!(next, Some(3));
        let names: HashSet<_> = d.accounts.iter().map(|a| a.name.clone()).collect();
        assert_eq!(names.len(), 500);
        assert!(d.accounts[1].email.starts_with("aws+"));
        // Same seed, same data; another seed, other data.
        let again = Directory::generate(0, 500, 5);
        assert_eq!(again.accounts[7].id, d.accounts[7].id);
        let other = Directory::generate(1, 500, 5);
        assert_ne!(other.accounts[7].id, d.accounts[7].id);
        assert!(other.accounts[0].name.starts_with("globex-"));
    }

    #[test]
    fn many_roles_get_custom_names() {
        let d = Directory::generate(3, 2, 14);
        assert_eq!(d.accounts[0].roles.len(), 14);
        assert_eq!(&*d.accounts[0].roles[13], "CustomRole002");
    }

    #[test]
    fn remove_and_add_assignments() {
        let mut d = Directory::generate(0, 3, 2);
        let id = d.accounts[1].id;
        assert_eq!(d.remove(id, None), 2);
        let (page, next) = d.page(0, 10);
        assert_eq!(page.len(), 2);
        assert_eq!(next, None);
        assert!(d.add(id, "Billing", None, None));
        assert!(!d.add(id, "Billing", None, None));
        assert!(d.has_role(id, "Billing"));
        assert!(d.add(123_456_789_012, "ReadOnlyAccess", Some("acme-new"), None));
        assert_eq!(
            &*d.get(123_456_789_012)
                .map(|a| a.email.clone())
                .unwrap_or_default(),
            "aws+new@acme.example"
        );
        assert_eq!(d.counts(), (4, 6));
    }
}
