//! lanyard-aws is the AWS side of Lanyard, usable alone: IAM Identity Center's OIDC (client
//! registration, the PKCE and device-code sign-in flows, token refresh), the AWS access portal
//! (accounts, roles, role credentials, logout), STS GetCallerIdentity, SigV4, botocore's endpoint
//! and HTTP rules, and the AWS CLI's token and credential caches with their exact file formats
//! and keys. It knows nothing of Lanyard's config engine, sessions or features (lanyard-core),
//! and the compiler keeps it so.

pub mod cache;
pub mod endpoints;
pub mod env;
pub mod http;
pub mod net;
pub mod netfail;
pub mod oidc;
pub mod portal;
pub mod pyjson;
pub mod retry;
pub mod secret;
pub mod sigv4;
pub mod sts;

pub use env::Env;
pub use secret::Secret;
