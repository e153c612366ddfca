//! Sessions: the one source of truth for every sso-session and legacy start URL — where their
//! tokens are stored, the single-flight lock, sign-in, refresh and sign-out.

pub mod error;
pub mod evidence;
pub mod history;
pub mod keychain;
pub mod lock;
pub mod logout;
pub mod overview;
pub mod resolve;
pub mod schedule;
pub mod signin;
pub mod state;
pub mod storage;
pub mod store;
#[cfg(test)]
pub(crate) mod test_token;
