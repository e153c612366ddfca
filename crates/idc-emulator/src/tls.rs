//! `--tls`: a throwaway CA and a 127.0.0.1/localhost server certificate made with rcgen at start;
//! the CA certificate is written to a PEM file clients can trust (e.g. via `AWS_CA_BUNDLE`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

fn other<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> io::Error + '_ {
    move |e| io::Error::other(format!("{what}: {e}"))
}

/// Makes the CA and server certificate; returns the acceptor and the CA certificate as PEM.
pub(crate) fn make_acceptor() -> io::Result<(TlsAcceptor, String)> {
    let ca_key = KeyPair::generate().map_err(other("CA key"))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(other("CA params"))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name
        .push(DnType::CommonName, "idc-emulator throwaway CA");
    ca.distinguished_name
        .push(DnType::OrganizationName, "idc-emulator");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(other("CA certificate"))?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(other("server key"))?;
    let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .map_err(other("server params"))?;
    leaf.distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    leaf.use_authority_key_identifier_extension = true;
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(other("server certificate"))?;

    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(other("TLS versions"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(other("TLS certificate"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), ca_cert.pem()))
}

/// Writes the CA PEM to a fresh file under the temp folder and returns its path.
pub(crate) fn write_ca(pem: &str, port: u16) -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("idc-emulator-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("ca.pem");
    std::fs::write(&path, pem)?;
    Ok(path)
}

/// Removes the CA file and its folder (best effort, at shutdown).
pub(crate) fn remove_ca(path: &Path) {
    let _ = std::fs::remove_file(path);
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir(dir);
    }
}
