//! The whole-model rules, run once the site is modelled (so `build` and
//! `check` run the same rules): arithmetic (`arith.rs`), plausibility
//! (`plausibility.rs`) and the base URL (W104).

use super::context::Lookup;
use super::{arith, plausibility};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Site;

/// Runs every whole-model rule.
pub fn run(site: &Site, diags: &mut Diagnostics, lookup: &Lookup) {
    arith::declared_totals(site, diags, lookup);
    arith::ratios(site, diags, lookup);
    plausibility::plausibility(site, diags, lookup);
    if crate::urls::Urls::new(site).base().is_none() {
        let msg = match &site.config.base_url {
            Some(b) => format!("base_url `{b}` is not an absolute http(s) URL: no sitemap.xml and no absolute canonical URLs are written"),
            None => "no base_url: sitemap.xml and absolute canonical URLs are not written (pages still link relatively and work in any folder)".to_string(),
        };
        // Named as the loader names the site file (under --content).
        let file = lookup("_site.yaml")
            .or_else(|| lookup("_site.yml"))
            .map_or_else(|| "_site.yaml".to_string(), |(d, _)| d);
        diags.push(Diagnostic::new(Code::W104, &file, 1, 1, msg).with_help(
            "add `base_url: https://…/` to _site.yaml once the site's public address is known",
        ));
    }
}
