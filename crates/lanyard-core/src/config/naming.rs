//! Profile names made from a template (`{account_name}.{role_name}` by default, what populate
//! writes): the template, the name cleaning rule — every character outside
//! `A-Z a-z 0-9 _ - / . % @ : +` (the identifier set the AWS SDKs accept) becomes `-` — and why a
//! template or the names it gives cannot be used.

/// The default template.
pub const DEFAULT_TEMPLATE: &str = "{account_name}.{role_name}";

/// The fields a template may use, as written.
pub const FIELDS: &[&str] = &["{account_name}", "{account_id}", "{role_name}", "{session}"];

/// A template that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A `{field}` that is not one of [`FIELDS`].
    #[error("the template {template:?} uses the unknown field {{{field}}}; the fields are {}", FIELDS.join(", "))]
    UnknownField {
        /// The template.
        template: String,
        /// The field as written between the braces.
        field: String,
    },
    /// A `{` without its `}` (or a lone `}`).
    #[error(
        "the template {template:?} has an unmatched {brace}; fields are written like {{role_name}}"
    )]
    Unmatched {
        /// The template.
        template: String,
        /// `{` or `}`.
        brace: char,
    },
    /// The template is empty.
    #[error("the template is empty; the default is {DEFAULT_TEMPLATE}")]
    Empty,
}

/// Why a populate cannot be planned. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PopulateError {
    /// The template gives a name that cannot be used.
    #[error("the template {template:?} gives the name {name:?} for account {account_id} and role {role_name}, which cannot be a profile name: {reason}")]
    InvalidName {
        /// The template.
        template: String,
        /// The (cleaned) name.
        name: String,
        /// The account.
        account_id: String,
        /// The role.
        role_name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two account × role pairs get the same name even with `-{account_id}` appended.
    #[error("the template {template:?} gives the same name {name:?} to {first} and to {second}; put {{role_name}} and {{account_id}} or {{account_name}} in the template")]
    Ambiguous {
        /// The template.
        template: String,
        /// The name.
        name: String,
        /// One pair, as `account ID role NAME`.
        first: String,
        /// The other.
        second: String,
    },
    /// The name for a pair (after `-{account_id}`) is a profile made by hand (or generated for
    /// another session), which populate never overwrites.
    #[error("profile {name:?} (for account {account_id} and role {role_name}) already exists and was not generated for sso-session {session}; populate never overwrites it. Rename or remove that profile, or choose another --template")]
    Taken {
        /// The name.
        name: String,
        /// The account.
        account_id: String,
        /// The role.
        role_name: String,
        /// The session being populated.
        session: String,
    },
}

impl PopulateError {
    /// A stable, machine-readable code: the window words each case by it.
    pub fn code(&self) -> &'static str {
        match self {
            PopulateError::InvalidName { .. } => "populate_invalid_name",
            PopulateError::Ambiguous { .. } => "populate_ambiguous",
            PopulateError::Taken { .. } => "populate_taken",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    AccountName,
    AccountId,
    RoleName,
    Session,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(Field),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// The values a name is made from.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// The account's name (empty when the portal gave none).
    pub account_name: &'a str,
    /// The account id.
    pub account_id: &'a str,
    /// The role name.
    pub role_name: &'a str,
    /// The sso-session name.
    pub session: &'a str,
}

impl Template {
    /// Parses a template.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        if source.is_empty() {
            return Err(TemplateError::Empty);
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let Some(end) = rest.find('}') else {
                        return Err(TemplateError::Unmatched {
                            template: source.to_owned(),
                            brace: '{',
                        });
                    };
                    let name = &rest[1..end];
                    let field = match name {
                        "account_name" => Field::AccountName,
                        "account_id" => Field::AccountId,
                        "role_name" => Field::RoleName,
                        "session" => Field::Session,
                        _ if name.contains('{') => {
                            return Err(TemplateError::Unmatched {
                                template: source.to_owned(),
                                brace: '{',
                            })
                        }
                        _ => {
                            return Err(TemplateError::UnknownField {
                                template: source.to_owned(),
                                field: name.to_owned(),
                            })
                        }
                    };
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Field(field));
                    rest = &rest[end + 1..];
                }
                '}' => {
                    return Err(TemplateError::Unmatched {
                        template: source.to_owned(),
                        brace: '}',
                    })
                }
                _ => {
                    text.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            source: source.to_owned(),
            parts,
        })
    }

    /// The template as given.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the template uses `{role_name}` (without it, two roles of one account get the
    /// same name).
    pub fn uses_role(&self) -> bool {
        self.parts.contains(&Part::Field(Field::RoleName))
    }

    /// The profile name for these values, cleaned (see [`clean`]).
    pub fn render(&self, v: &Values<'_>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(Field::AccountName) => out.push_str(v.account_name),
                Part::Field(Field::AccountId) => out.push_str(v.account_id),
                Part::Field(Field::RoleName) => out.push_str(v.role_name),
                Part::Field(Field::Session) => out.push_str(v.session),
            }
        }
        clean(&out)
    }
}

/// Whether a character may appear in a generated profile name.
pub fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | '%' | '@' | ':' | '+')
}

/// The name with every character outside `A-Z a-z 0-9 _ - / . % @ : +` replaced by `-`.
pub fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .collect()
}

/// Why a cleaned name cannot be a generated profile's name, if it cannot: it is empty, has
/// no letter or digit at all, or is `default` (the profile tools use when none is named).
pub fn invalid_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        Some("it has no letter or digit")
    } else if name == "default" {
        Some("it is the name of the default profile")
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            account_name: "Prod Account (EU)",
            account_id: "123456789012",
            role_name: "AdministratorAccess",
            session: "corp",
        }
    }

    #[test]
    fn the_default_template_is_account_name_dot_role_name_cleaned() {
        let t = Template::parse(DEFAULT_TEMPLATE).unwrap();
        assert_eq!(t.render(&values()), "Prod-Account--EU-.AdministratorAccess");
        assert!(t.uses_role());
    }

    #[test]
    fn every_field_and_literal_text_render() {
        let t = Template::parse("{session}/{account_id}:{role_name}@{account_name}").unwrap();
        assert_eq!(
            t.render(&values()),
            "corp/123456789012:AdministratorAccess@Prod-Account--EU-"
        );
        let t = Template::parse("aws {account_id}").unwrap();
        assert!(!t.uses_role());
        assert_eq!(t.render(&values()), "aws-123456789012");
    }

    #[test]
    fn cleaning_keeps_the_sdk_identifier_set_and_replaces_everything_else() {
        assert_eq!(clean("aZ09_-/.%@:+"), "aZ09_-/.%@:+");
        assert_eq!(clean("a b\tc[d]e#f;g=h\"i'j"), "a-b-c-d-e-f-g-h-i-j");
        assert_eq!(clean("café 測試"), "caf----");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn unknown_fields_and_unmatched_braces_are_named() {
        let e = Template::parse("{account}.{role_name}").unwrap_err();
        assert_eq!(
            e,
            TemplateError::UnknownField {
                template: "{account}.{role_name}".into(),
                field: "account".into()
            }
        );
        let msg = e.to_string();
        assert!(
            msg.contains("{account}") && msg.contains("{account_name}"),
            "{msg}"
        );
        assert!(matches!(
            Template::parse("{role_name"),
            Err(TemplateError::Unmatched { brace: '{', .. })
        ));
        assert!(matches!(
            Template::parse("x}"),
            Err(TemplateError::Unmatched { brace: '}', .. })
        ));
        assert!(matches!(
            Template::parse("{a{role_name}"),
            Err(TemplateError::Unmatched { brace: '{', .. })
        ));
        assert_eq!(Template::parse(""), Err(TemplateError::Empty));
    }

    #[test]
    fn empty_punctuation_only_and_default_names_are_invalid() {
        assert_eq!(invalid_reason(""), Some("it is empty"));
        assert_eq!(invalid_reason("--.-"), Some("it has no letter or digit"));
        assert!(invalid_reason("default").is_some());
        assert_eq!(invalid_reason("a.b"), None);
        let t = Template::parse("{account_name}").unwrap();
        let v = Values {
            account_name: "",
            ..values()
        };
        assert_eq!(invalid_reason(&t.render(&v)), Some("it is empty"));
    }
}
