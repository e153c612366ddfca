//! HTML for the browser pages and error pages: escaping text (also used for XML bodies) and the
//! emulator's page shell.

/// Escapes text for HTML and XML bodies.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Wraps page content in the emulator's HTML shell.
pub(crate) fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · IAM Identity Center emulator</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#16191f}}\
         .card{{border:1px solid #d5dbdb;border-radius:8px;padding:1.5rem}}\
         button{{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem;border-radius:6px;border:1px solid #879596;cursor:pointer}}\
         button.primary{{background:#ff9900;border-color:#ec7211}} .error{{color:#d13212}}\
         code{{background:#f2f3f3;padding:0 .25rem}} .muted{{color:#687078;font-size:.9rem}}\
         </style></head><body><div class=\"card\">{}</div>\
         <p class=\"muted\">idc-emulator — a local stand-in for AWS IAM Identity Center. No AWS account is involved.</p>\
         </body></html>\n",
        escape(title),
        body
    )
}
