//! Which store, which network and what a rejected token means for one session: [`store_for`]
//! is the one place that picks a session's store (the AWS CLI's cache files, or the keychain in
//! secure mode); [`session_net`] the endpoints of its own calls; [`token_rejected`] what a
//! portal 401 does. The overview of every session, built on these, is a feature
//! ([`crate::overview`], issue 21).

use std::sync::Arc;

use super::history::History;
use super::keychain::KeychainStore;
use super::resolve::KnownSession;
use super::state::REASON_TOKEN_REJECTED;
use super::store::{FileStore, SessionId, Storage, TokenStore};
use crate::config::ConfigFile;
use crate::config::NetSettings as _;
use crate::context::Context;
use crate::net::Net;

/// See [`SessionStatus::name`].
pub fn display_name(s: &KnownSession) -> String {
    match &s.config.id {
        SessionId::Session(n) => n.clone(),
        SessionId::Legacy(url) => s.profiles.first().unwrap_or(url).clone(),
    }
}

/// The store of a session, by its `lanyard_storage`: the AWS CLI's cache files of this
/// context's home, or the OS keychain. Every reader and writer of tokens, registrations and
/// role credentials gets its store here.
pub fn store_for(ctx: &Context, session: &KnownSession) -> Arc<dyn TokenStore> {
    store_of(ctx, session.storage)
}

/// The store of a storage mode (for moving a session between modes).
pub fn store_of(ctx: &Context, storage: Storage) -> Arc<dyn TokenStore> {
    match storage {
        Storage::File => Arc::new(FileStore::for_home(ctx.dirs.home())),
        Storage::Keychain => Arc::new(KeychainStore::new()),
    }
}

/// The endpoints and HTTP settings of a session's own calls (sign-in, refresh, sign-out,
/// listings): the environment's and its profiles', never an unrelated profile's
/// ([`Net::for_session`]).
pub fn session_net(ctx: &Context, view: &crate::config::ConfigView, s: &KnownSession) -> Net {
    Net::for_session(&ctx.env, view, &s.profiles, &s.config.region).net
}

/// [`session_net`], reading the config.
pub fn load_session_net(ctx: &Context, s: &KnownSession) -> crate::sessions::error::Result<Net> {
    let file = ConfigFile::load_config(&ctx.env)?;
    Ok(session_net(ctx, &file.view()?, s))
}

/// The portal rejected a session's access token (HTTP 401: revoked, or the service forgot it):
/// the session needs sign-in everywhere (its history says so, which every process reads), and
/// its client registration is dropped, since a service that forgot the token may have forgotten
/// the client too — the next sign-in registers again (registering costs nothing).
pub fn token_rejected(ctx: &Context, session: &KnownSession, store: &dyn TokenStore) {
    let id = &session.config.id;
    tracing::warn!(
        session = id.display_name(),
        "the portal rejected the session's token"
    );
    if let Err(e) =
        History::new(&ctx.dirs).record_end(id.cache_key(), ctx.clock.now(), REASON_TOKEN_REJECTED)
    {
        tracing::warn!(error = %e, "cannot record the end of the session");
    }
    if let Err(e) = store.delete_registration(&session.config.registration_key()) {
        tracing::warn!(error = %e, "cannot drop the client registration");
    }
}
