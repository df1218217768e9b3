//! The whole-model rules, run once the site is modelled (so `build` and
//! `check` run the same rules): arithmetic (`arith.rs`), plausibility
//! (`plausibility.rs`) and the base URL (W104).

use super::context::Lookup;
use super::{arith, plausibility};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Site;

/// What a site without an absolute base URL lacks (W104).
const WITHOUT_BASE: &str = "programme pages offer no embed code and no citation (both need the site's public address), sitemap.xml and absolute canonical URLs are not written, and 404.html links from the root of the host (`/assets/…`), so it works only when the site is served from the root; the pages still link relatively and work in any folder";

/// Runs every whole-model rule.
pub fn run(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    arith::declared_totals(site, diags, lookup);
    arith::ratios(site, diags, lookup);
    plausibility::plausibility(site, diags, lookup);
    if crate::urls::Urls::new(site).base().is_none() {
        let msg = match &site.config.base_url {
            Some(b) => format!("base_url `{b}` is not an absolute http(s) URL: {WITHOUT_BASE}"),
            None => format!("no base_url: {WITHOUT_BASE}"),
        };
        // Named as the loader names the site file (under --content).
        let file = lookup("_site.yaml")
            .or_else(|| lookup("_site.yml"))
            .map_or_else(|| "_site.yaml".to_string(), |(d, _)| d);
        diags.push(Diagnostic::new(Code::W104, &file, 1, 1, msg).with_help(
            "add `base_url: https://…/` to _site.yaml once the site's public address is known, or give it per deploy with `mieruka build --base-url https://…/`",
        ));
    }
}
