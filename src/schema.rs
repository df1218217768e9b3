//! JSON Schema (draft 2020-12) of programme files, generated from the
//! declared data model, so it always matches what `validate` accepts.
//! Published on the site as data/schema.json; docs/schema.json is the Tokyo
//! plan's, kept in step by a test.

use crate::config::SiteConfig;
use crate::model::rules::CORE_KEYS;
use serde_json::{json, Map, Value};

const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The schema of a core field of programme files.
fn core_field(key: &str) -> Value {
    match key {
        "fiscal_year" => {
            json!({"type": "integer", "minimum": 1868, "maximum": 2200, "description": "Fiscal year (April–March); must equal the source's"})
        }
        "source" => {
            json!({"type": "string", "pattern": SLUG, "description": "Id of a source in _sources.yaml"})
        }
        "page" => {
            json!({"type": "integer", "minimum": 0, "description": "Page of the source document"})
        }
        "number" => {
            json!({"type": "integer", "minimum": 0, "description": "整理番号 in the source table"})
        }
        "name" => {
            json!({"type": "string", "minLength": 1, "maxLength": crate::model::rules::MAX_NAME_CHARS, "description": "事業名"})
        }
        "part" => {
            json!({"type": ["string", "null"], "description": "Component label when a programme spans rows"})
        }
        "summary" => {
            json!({"type": ["string", "null"], "maxLength": crate::model::rules::MAX_SUMMARY_CHARS, "description": "Markdown; raw HTML is shown as text"})
        }
        "implementer" => {
            json!({"type": ["string", "null"], "description": "Body that runs it, when not the municipality"})
        }
        "start" => {
            json!({"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "Start date, ISO"})
        }
        "continues" => {
            json!({"type": ["string", "null"], "pattern": SLUG, "description": "Id of the row this one continues"})
        }
        "aliases" => {
            json!({"type": "array", "items": {"type": "string", "pattern": SLUG}, "description": "Old ids that redirect here"})
        }
        "series" => {
            json!({"type": ["string", "null"], "pattern": SLUG, "description": "Id of the series: the same programme in other fiscal years (docs/years.md); default: minted from the series key"})
        }
        "notes" => {
            json!({"type": "array", "items": {"type": "string"}, "description": "What was changed from the source, and why"})
        }
        _ => json!({}),
    }
}

/// The schema of one programme file for this site config.
pub fn programme_schema(config: &SiteConfig, dims: &[(String, Vec<String>)]) -> Value {
    let mut props = Map::new();
    for key in CORE_KEYS {
        props.insert((*key).to_string(), core_field(key));
    }
    for (d, values) in config.dimensions.iter().zip(dims.iter().map(|x| &x.1)) {
        let one = json!({"type": "string", "enum": values});
        let v = if d.multiple {
            json!({"type": "array", "items": one, "uniqueItems": true, "description": d.label})
        } else {
            json!({"anyOf": [one, {"type": "null"}], "description": d.label})
        };
        props.insert(d.key.clone(), v);
    }
    // Measures, nested by their dotted paths.
    let number = json!({"type": ["integer", "null"], "minimum": 0});
    let mut groups: Map<String, Value> = Map::new();
    for m in &config.measures {
        let value = if m.shared {
            json!({"description": format!("{}（{}）", m.label, m.unit), "anyOf": [
                number,
                {"type": "object", "properties": {"amount": {"type": "integer", "minimum": 0}, "covers": {"type": "array", "items": {"type": "string", "pattern": SLUG}}}, "required": ["amount"], "additionalProperties": false},
                {"type": "object", "properties": {"covered_by": {"type": "string", "pattern": SLUG}}, "required": ["covered_by"], "additionalProperties": false}
            ]})
        } else {
            let mut n = number.clone();
            n["description"] = json!(format!("{}（{}）", m.label, m.unit));
            n
        };
        let path: Vec<&str> = m.file_path().split('.').collect();
        if path.len() == 1 {
            props.insert(path[0].to_string(), value);
        } else {
            let g = groups.entry(path[0].to_string()).or_insert_with(
                || json!({"type": "object", "properties": {}, "additionalProperties": false}),
            );
            g["properties"][path[1]] = value;
        }
    }
    for (k, v) in groups {
        props.insert(k, v);
    }
    let mut required: Vec<String> = vec!["fiscal_year".into(), "source".into(), "name".into()];
    required.extend(
        config
            .dimensions
            .iter()
            .filter(|d| d.required)
            .map(|d| d.key.clone()),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("{} — programme file", config.title),
        "description": "One programme (one row of a source table). The file stem is the id: lowercase ASCII letters, digits and single hyphens. Generated by mieruka from _site.yaml.",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema for a valid site.
pub fn for_site(site: &crate::model::Site) -> Value {
    let dims: Vec<(String, Vec<String>)> = site
        .dims
        .iter()
        .map(|d| {
            let mut v: Vec<String> = d
                .entries
                .iter()
                .flat_map(|e| [e.name.clone(), e.slug.clone()])
                .collect();
            v.sort();
            v.dedup();
            (d.decl.key.clone(), v)
        })
        .collect();
    programme_schema(&site.config, &dims)
}

/// Pretty JSON bytes of the schema.
pub fn to_bytes(site: &crate::model::Site) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(&for_site(site)).unwrap_or_default();
    b.push(b'\n');
    b
}
