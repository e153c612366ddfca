//! Times in cache files: written as the AWS CLI writes them (`%Y-%m-%dT%H:%M:%SZ`, UTC, no
//! fractions), read as leniently as botocore's dateutil within reason: RFC 3339 with fractions
//! or offsets (the JS SDK writes milliseconds), a `UTC` suffix (old CLI versions), or no zone at
//! all (taken as UTC).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// `YYYY-MM-DDTHH:MM:SS` of a time in UTC, whole seconds: the body both of the AWS CLI's cache
/// times and of Python's `isoformat()` of a UTC time.
pub fn utc_seconds(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Formats a time the way the AWS CLI writes `expiresAt`: `2024-01-01T08:00:00Z`.
pub fn format_cli(t: OffsetDateTime) -> String {
    utc_seconds(t) + "Z"
}

/// Reads a cache time; `None` when it is not a date-time any writer produces.
pub fn parse_lenient(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // Lower-case `z`/`t` and a space separator are RFC 3339-legal but not accepted above.
    let normalized = s.replacen(' ', "T", 1).replace('t', "T").replace('z', "Z");
    if let Ok(t) = OffsetDateTime::parse(&normalized, &Rfc3339) {
        return Some(t);
    }
    let naive = normalized
        .strip_suffix("UTC")
        .or_else(|| normalized.strip_suffix('Z'))
        .unwrap_or(&normalized);
    let with_fraction =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    let without = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(naive, &with_fraction)
        .or_else(|_| PrimitiveDateTime::parse(naive, &without))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn writes_the_cli_format_in_utc_without_fractions() {
        assert_eq!(
            format_cli(datetime!(2024-01-01 08:00:00.999 UTC)),
            "2024-01-01T08:00:00Z"
        );
        assert_eq!(
            format_cli(datetime!(2024-01-01 10:00:00 +02:00)),
            "2024-01-01T08:00:00Z"
        );
    }

    #[test]
    fn reads_every_writers_format() {
        let want = datetime!(2024-01-01 08:00:00 UTC);
        for s in [
            "2024-01-01T08:00:00Z",      // AWS CLI, Go, Rust
            "2024-01-01T08:00:00.000Z",  // JS SDK
            "2024-01-01T10:00:00+02:00", // any RFC 3339 offset
            "2024-01-01T08:00:00UTC",    // old AWS CLI
            "2024-01-01T08:00:00",       // no zone: UTC
            "2024-01-01 08:00:00Z",
            "2024-01-01t08:00:00z",
        ] {
            assert_eq!(parse_lenient(s), Some(want), "{s}");
        }
        assert_eq!(
            parse_lenient("2024-01-01T08:00:00.5Z"),
            Some(datetime!(2024-01-01 08:00:00.5 UTC))
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for s in ["", "tomorrow", "2024-13-01T08:00:00Z", "1704096000"] {
            assert_eq!(parse_lenient(s), None, "{s}");
        }
    }
}
