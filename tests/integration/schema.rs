//! The JSON Schema stays in step with what the loader accepts.

use crate::support::*;

fn site() -> Box<mieruka::model::Site> {
    match mieruka::check(&repo().join("content")) {
        mieruka::Checked::Valid(s, _) => s,
        mieruka::Checked::Invalid(d) => panic!("{:?}", d.sorted()),
    }
}

#[test]
fn schema_lists_exactly_the_fields_the_loader_accepts() {
    let s = site();
    let schema = mieruka::schema::for_site(&s);
    let props: Vec<String> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut accepted: Vec<String> = mieruka::model::rules::CORE_KEYS
        .iter()
        .map(|k| k.to_string())
        .collect();
    accepted.extend(s.config.dimensions.iter().map(|d| d.key.clone()));
    for m in &s.config.measures {
        let top = m.file_path().split('.').next().unwrap().to_string();
        if !accepted.contains(&top) {
            accepted.push(top);
        }
    }
    let (mut a, mut b) = (props.clone(), accepted.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn every_content_file_validates_against_the_schema() {
    let s = site();
    let schema = mieruka::schema::for_site(&s);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut n = 0;
    for f in files(&repo().join("content/programmes")) {
        let text = std::fs::read_to_string(repo().join("content/programmes").join(&f)).unwrap();
        let v: serde_json::Value =
            serde_json::to_value(mieruka::yaml::parse(&text).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
        n += 1;
    }
    assert_eq!(n, 33);
    // And the schema refuses what the loader refuses.
    let bad = serde_json::json!({"fiscal_year": 2024, "source": "x", "name": "n", "municipality": "世田谷区", "category": "labour", "scheme": "general", "budget": 5});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn published_and_documented_schemas_match() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let published = t.page("data/schema.json");
    let documented = std::fs::read_to_string(repo().join("docs/schema.json")).unwrap();
    assert_eq!(
        published, documented,
        "docs/schema.json is stale: copy public/data/schema.json"
    );
}
