//! Error responses shaped exactly as each AWS service family sends them, so botocore maps them to
//! its modeled exception classes.
//!
//! - OIDC (rest-json): `x-amzn-ErrorType: <Name>Exception:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`
//!   and `{"error","error_description"}`.
//! - Portal (rest-json): `x-amzn-ErrorType: <Name>Exception` and `{"message"}`.
//! - STS (query protocol): an XML `<ErrorResponse>`.
//! - Browser pages: a small HTML page.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::html::{escape, layout};

const OIDC_NS: &str = ":http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// An error response of one of the emulated services.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// SSO OIDC: exception name (without "Exception"), OAuth `error`, description.
    Oidc(&'static str, &'static str, String),
    /// SSO portal: status, exception name (full, e.g. `UnauthorizedException`), message.
    Portal(StatusCode, &'static str, String),
    /// STS: status, code, message. Type is Sender for 4xx and Receiver for 5xx.
    Sts(StatusCode, &'static str, String),
    /// Browser page or console federation: status and a human message.
    Page(StatusCode, String),
    /// Admin API: status and message, as JSON `{"error": ...}`.
    Admin(StatusCode, String),
}

impl ApiError {
    pub(crate) fn oidc(kind: &'static str, desc: impl Into<String>) -> Self {
        let error = match kind {
            "AuthorizationPending" => "authorization_pending",
            "SlowDown" => "slow_down",
            "ExpiredToken" => "expired_token",
            "AccessDenied" => "access_denied",
            "InvalidGrant" => "invalid_grant",
            "InvalidClient" => "invalid_client",
            "InvalidScope" => "invalid_scope",
            "UnauthorizedClient" => "unauthorized_client",
            "UnsupportedGrantType" => "unsupported_grant_type",
            "InvalidClientMetadata" => "invalid_client_metadata",
            "InvalidRedirectUri" => "invalid_redirect_uri",
            "InternalServer" => "server_error",
            _ => "invalid_request",
        };
        ApiError::Oidc(kind, error, desc.into())
    }

    pub(crate) fn invalid_request(desc: impl Into<String>) -> Self {
        Self::oidc("InvalidRequest", desc)
    }

    pub(crate) fn portal(status: u16, name: &'static str, msg: impl Into<String>) -> Self {
        ApiError::Portal(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            name,
            msg.into(),
        )
    }

    pub(crate) fn unauthorized() -> Self {
        Self::portal(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        )
    }

    pub(crate) fn sts(status: u16, code: &'static str, msg: impl Into<String>) -> Self {
        ApiError::Sts(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            msg.into(),
        )
    }

    pub(crate) fn page(status: u16, msg: impl Into<String>) -> Self {
        ApiError::Page(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            msg.into(),
        )
    }

    pub(crate) fn admin(status: u16, msg: impl Into<String>) -> Self {
        ApiError::Admin(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            msg.into(),
        )
    }
}

fn oidc_status(kind: &str) -> StatusCode {
    match kind {
        "InvalidClient" => StatusCode::UNAUTHORIZED,
        "InternalServer" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("InternalServerException"))
}

/// The XML error document STS sends.
pub(crate) fn sts_error_xml(status: StatusCode, code: &str, msg: &str, request_id: &str) -> String {
    let kind = if status.is_server_error() {
        "Receiver"
    } else {
        "Sender"
    };
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    \
         <Type>{kind}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  \
         <RequestId>{}</RequestId>\n</ErrorResponse>\n",
        escape(code),
        escape(msg),
        escape(request_id)
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Oidc(kind, error, desc) => {
                let body = serde_json::json!({"error": error, "error_description": desc});
                let mut r = (oidc_status(kind), body.to_string()).into_response();
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                h.insert(
                    "x-amzn-ErrorType",
                    header_value(&format!("{kind}Exception{OIDC_NS}")),
                );
                r
            }
            ApiError::Portal(status, name, message) => {
                let body = serde_json::json!({ "message": message });
                let mut r = (status, body.to_string()).into_response();
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                h.insert("x-amzn-ErrorType", header_value(name));
                r
            }
            ApiError::Sts(status, code, message) => {
                // The request id is filled in by the response middleware when it is empty here;
                // STS bodies carry their own copy, so make one now.
                let rid = crate::ids::request_id();
                let body = sts_error_xml(status, code, &message, &rid);
                let mut r = (status, body).into_response();
                let h = r.headers_mut();
                h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
                h.insert("x-amzn-RequestId", header_value(&rid));
                r
            }
            ApiError::Page(status, message) => {
                let html = layout(
                    "Error",
                    &format!(
                        "<h1>Something went wrong</h1><p class=\"error\">{}</p>",
                        escape(&message)
                    ),
                );
                let mut r = (status, html).into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                r
            }
            ApiError::Admin(status, message) => {
                let body = serde_json::json!({ "error": message });
                let mut r = (status, body.to_string()).into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                r
            }
        }
    }
}
