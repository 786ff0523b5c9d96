//! Prints what the extractor finds in a text (built-in taxonomy): `cargo run -p hrmesh-skills --example extract_text -- "text"`.

#![allow(clippy::print_stdout)]

use hrmesh_skills::{extract::Extractor, taxonomy::Taxonomy};

fn main() -> anyhow::Result<()> {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let taxonomy = Taxonomy::builtin()?;
    let e = Extractor::new(taxonomy.terms()).extract(&text, None);
    println!("language: {}", e.lang);
    for h in &e.hits {
        println!("  {:<32} {:<14} {:.2}  {:?}", taxonomy.get(h.skill).id, h.how.as_str(), h.confidence, h.evidence);
    }
    for x in &e.excluded {
        println!(
            "  excluded {:<23} {:<14} cue {:?}  {:?}",
            taxonomy.get(x.skill).id,
            x.reason.as_str(),
            x.cue,
            x.evidence
        );
    }
    Ok(())
}
