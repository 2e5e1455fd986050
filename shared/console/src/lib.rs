//! The web console (for admins and supervisors) and the kiosk page: plain HTML, CSS and
//! JavaScript modules that call the public HTTP API, embedded in the binary at build time
//! so nothing is fetched at run time.

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The policy the pages are served with: their own scripts and styles only, no inline
/// script or style, API calls to the same origin, camera frames and photos as blobs.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; \
    connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The page a bare `/console` leads to.
pub const ENTRY: &str = "index.html";

/// One embedded file.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    /// Its bytes.
    pub bytes: &'static [u8],
    /// Its media type.
    pub content_type: &'static str,
}

/// The embedded file `name`, if there is one.
pub fn asset(name: &str) -> Option<Asset> {
    let (name, bytes) = FILES.iter().find(|(file, _)| *file == name)?;
    Some(Asset {
        bytes,
        content_type: content_type(name)?,
    })
}

/// The media type of a file by its extension; `None` for kinds the console does not serve.
fn content_type(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1;
    Some(match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_and_the_kiosk_page_are_embedded() {
        for page in [ENTRY, "kiosk.html"] {
            let asset = asset(page).unwrap_or_else(|| panic!("{page} is not embedded"));
            assert_eq!(asset.content_type, "text/html; charset=utf-8");
            assert!(!asset.bytes.is_empty());
        }
    }

    #[test]
    fn every_embedded_file_has_a_media_type_and_unknown_names_have_none() {
        for (name, _) in FILES {
            assert!(content_type(name).is_some(), "{name} has no media type");
        }
        assert!(asset("../Cargo.toml").is_none());
        assert!(asset("missing.js").is_none());
    }
}
