//! Parsing: a small export in the official layout, each kind of malformed file, and the shared
//! ESCO v1.1.1 set.

use std::path::Path;

use super::{
    EscoData, EscoError, Label, default_dir,
    fixture::{self, occupation, skill},
    parse_dir,
};
use crate::lang::Lang;

fn export() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fixture::write(dir.path());
    dir
}

fn error(dir: &Path) -> String {
    match parse_dir(dir) {
        Ok(_) => panic!("the export in {} should be rejected", dir.display()),
        Err(e) => e.to_string(),
    }
}

fn labels<'a>(data: &'a EscoData, uri: &str) -> Vec<(&'static str, &'a str, bool)> {
    let found = data.skills.iter().find(|s| s.uri == uri).map(|s| &s.labels);
    let found = found.or_else(|| data.groups.iter().find(|g| g.uri == uri).map(|g| &g.labels));
    let found = found.or_else(|| data.occupations.iter().find(|o| o.uri == uri).map(|o| &o.labels));
    let found: &[Label] = found.unwrap_or_else(|| panic!("no concept {uri}"));
    found.iter().map(|l| (l.lang.code(), l.text.as_str(), l.preferred)).collect()
}

#[test]
fn reads_every_file_of_the_export() {
    let dir = export();
    let (data, report) = parse_dir(dir.path()).expect("valid export");
    let counts = data.counts();
    assert_eq!((counts.skills, counts.groups, counts.broader, counts.relations), (3, 3, 5, 2));
    assert_eq!((counts.occupations, counts.occupation_skills), (2, 3));
    let files: Vec<(&str, usize)> = report.files.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    assert_eq!(
        files,
        [
            ("skills_en.csv", 3),
            ("skillGroups_en.csv", 2),
            ("skillsHierarchy_en.csv", 3),
            ("broaderRelationsSkillPillar.csv", 5),
            ("skillSkillRelations.csv", 2),
            ("occupations_en.csv", 2),
            ("occupationSkillRelations.csv", 5),
            ("nl/digitalSkillsCollection_nl.csv", 2),
            ("nl/skillGroups_nl.csv", 1),
            ("occupations_de.csv", 2),
        ]
    );
    let developer = data.occupations.iter().find(|o| o.uri == occupation("developer")).expect("developer");
    assert_eq!((developer.essential.clone(), developer.optional.clone()), (vec![skill("python")], vec![skill("sql")]));
    assert_eq!(developer.code, "2512.4");
    let sql = data.skills.iter().find(|s| s.uri == skill("sql")).expect("sql");
    assert_eq!((sql.skill_type.as_str(), sql.reuse_level.as_str()), ("knowledge", ""));
    assert!(data.broader.contains(&(skill("staff"), skill("python"))));
}

#[test]
fn groups_only_the_hierarchy_lists_are_added_with_code_and_label() {
    let dir = export();
    let (data, _) = parse_dir(dir.path()).expect("valid export");
    let group = data.groups.iter().find(|g| g.uri == skill("g-only-in-hierarchy")).expect("group from the hierarchy");
    assert_eq!(group.code, "S1.2");
    assert_eq!(labels(&data, &group.uri), [("en", "hierarchy only", true)]);
}

#[test]
fn alternative_labels_are_split_trimmed_and_deduplicated() {
    let dir = export();
    let (data, _) = parse_dir(dir.path()).expect("valid export");
    let python = labels(&data, &skill("python"));
    assert_eq!(&python[..3], [("en", "Python", true), ("en", "python programming", false), ("en", "py", false)]);
}

#[test]
fn labels_of_other_languages_are_joined_on_the_concept_uri() {
    let dir = export();
    let (data, report) = parse_dir(dir.path()).expect("valid export");
    let python = labels(&data, &skill("python"));
    assert_eq!(
        &python[3..],
        [("nl", "Python", true), ("nl", "Python-programmeren", false), ("nl", "programmeren in Python", false)]
    );
    assert_eq!(labels(&data, &skill("g-communication"))[1..], [("nl", "communicatie", true)]);
    // Two rows of one occupation in the German file: one preferred label, no duplicates.
    assert_eq!(
        labels(&data, &occupation("developer"))[3..],
        [
            ("de", "Softwareentwickler", true),
            ("de", "Programmierer", false),
            ("de", "Softwareentwicklerin", false),
            ("de", "Entwickler", false)
        ]
    );
    assert!(
        report.skipped.contains(
            &"nl/digitalSkillsCollection_nl.csv: 1 of 2 records (3 labels) name concepts not in this ESCO version"
                .to_owned()
        ),
        "{:?}",
        report.skipped
    );
}

#[test]
fn relations_of_an_occupation_missing_from_the_occupations_file_are_reported() {
    let dir = export();
    let (_, report) = parse_dir(dir.path()).expect("valid export");
    let expected = format!(
        "occupationSkillRelations.csv: 2 relations name 1 occupation not in occupations_en.csv ({})",
        occupation("withdrawn")
    );
    assert!(report.skipped.contains(&expected), "{:?}", report.skipped);
}

#[test]
fn a_full_skills_file_replaces_the_collections_of_its_language() {
    let dir = export();
    let header = "conceptUri,preferredLabel,altLabels";
    fixture::write_file(
        dir.path(),
        "skills_nl.csv",
        &format!("{header}\n{},SQL,gestructureerde zoektaal\n", skill("sql")),
    );
    let (data, report) = parse_dir(dir.path()).expect("valid export");
    assert_eq!(labels(&data, &skill("sql"))[1..], [("nl", "SQL", true), ("nl", "gestructureerde zoektaal", false)]);
    assert_eq!(labels(&data, &skill("python")).iter().filter(|(lang, ..)| *lang == "nl").count(), 0);
    assert!(report.files.iter().all(|(file, _)| file != "nl/digitalSkillsCollection_nl.csv"));
}

#[test]
fn a_missing_required_file_is_named() {
    let dir = export();
    std::fs::remove_file(dir.path().join("skillSkillRelations.csv")).expect("remove");
    assert!(
        matches!(parse_dir(dir.path()), Err(EscoError::MissingFile { file, .. }) if file == "skillSkillRelations.csv")
    );
}

#[test]
fn a_header_without_a_needed_column_is_rejected() {
    let dir = export();
    let skills = fixture::skills_file().replacen("preferredLabel", "prefLabel", 1);
    fixture::write_file(dir.path(), "skills_en.csv", &skills);
    assert_eq!(error(dir.path()), "skills_en.csv line 1: missing column preferredLabel in header");
}

#[test]
fn a_concept_file_without_records_is_rejected_rather_than_wiping_the_set() {
    let dir = export();
    fixture::write_file(dir.path(), "skills_en.csv", &format!("{}\r\n", fixture::SKILLS_HEADER));
    assert_eq!(error(dir.path()), "skills_en.csv line 2: no records after the header");
}

#[test]
fn a_truncated_file_is_rejected_with_the_line_of_the_short_record() {
    let dir = export();
    let skills = fixture::skills_file();
    // Cut the last record after its fifth field; the second record spans lines 2-4.
    let last = skills.rfind("KnowledgeSkillCompetence").expect("last record");
    let cut = last + skills[last..].match_indices(',').nth(4).map(|(i, _)| i).expect("fifth comma");
    fixture::write_file(dir.path(), "skills_en.csv", &skills[..cut]);
    assert_eq!(error(dir.path()), "skills_en.csv line 6: expected 13 fields, found 5");
}

#[test]
fn an_unterminated_quote_is_rejected() {
    let dir = export();
    let path = dir.path().join("occupations_en.csv");
    let occupations = std::fs::read_to_string(&path).expect("read");
    fixture::write_file(dir.path(), "occupations_en.csv", &occupations.replacen("too.\"", "too.", 1));
    assert_eq!(error(dir.path()), "occupations_en.csv line 2: unbalanced quotes: a quoted field is not closed");
}

#[test]
fn a_value_that_is_not_an_esco_uri_is_rejected() {
    let dir = export();
    let relations = format!(
        "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri\r\nfoo,,optional,,{}\r\n",
        skill("sql")
    );
    fixture::write_file(dir.path(), "skillSkillRelations.csv", &relations);
    assert_eq!(
        error(dir.path()),
        "skillSkillRelations.csv line 2: column originalSkillUri: not an ESCO skill URI: 'foo'"
    );
}

#[test]
fn a_relation_to_an_unknown_skill_is_rejected() {
    let dir = export();
    let relations = format!(
        "occupationUri,relationType,skillType,skillUri\r\n{},essential,,{}\r\n{},optional,,{}\r\n",
        occupation("developer"),
        skill("python"),
        occupation("developer"),
        skill("cobol")
    );
    fixture::write_file(dir.path(), "occupationSkillRelations.csv", &relations);
    assert_eq!(
        error(dir.path()),
        format!(
            "occupationSkillRelations.csv line 3: column skillUri: unknown skill '{}' (not in skills_en.csv)",
            skill("cobol")
        )
    );
}

#[test]
fn a_broader_relation_to_an_unknown_group_is_rejected() {
    let dir = export();
    let broader = format!(
        "conceptType,conceptUri,broaderType,broaderUri\r\nKnowledgeSkillCompetence,{},SkillGroup,{}\r\n",
        skill("sql"),
        skill("g-none")
    );
    fixture::write_file(dir.path(), "broaderRelationsSkillPillar.csv", &broader);
    let message = error(dir.path());
    assert!(
        message.starts_with("broaderRelationsSkillPillar.csv line 2: column broaderUri: unknown skill group"),
        "{message}"
    );
}

#[test]
fn a_hierarchy_link_missing_from_the_broader_relations_is_rejected() {
    let dir = export();
    let path = dir.path().join("broaderRelationsSkillPillar.csv");
    let broader = std::fs::read_to_string(&path).expect("read");
    let without: String =
        broader.split_inclusive("\r\n").filter(|line| !line.contains("g-only-in-hierarchy,SkillGroup")).collect();
    fixture::write_file(dir.path(), "broaderRelationsSkillPillar.csv", &without);
    assert_eq!(
        error(dir.path()),
        format!(
            "skillsHierarchy_en.csv line 4: '{}' is under '{}' here but not in broaderRelationsSkillPillar.csv",
            skill("g-only-in-hierarchy"),
            skill("g-communication")
        )
    );
}

#[test]
fn a_skill_defined_twice_is_rejected() {
    let dir = export();
    let skills = fixture::skills_file();
    let first_record = skills.split("\r\n").nth(1).expect("record");
    fixture::write_file(dir.path(), "skills_en.csv", &format!("{skills}{first_record}\r\n"));
    assert_eq!(
        error(dir.path()),
        format!(
            "skills_en.csv line 7: column conceptUri: duplicate skill '{}' (first on skills_en.csv line 2)",
            skill("python")
        )
    );
}

#[test]
fn an_unknown_relation_type_is_rejected() {
    let dir = export();
    let path = dir.path().join("skillSkillRelations.csv");
    let relations = std::fs::read_to_string(&path).expect("read").replacen(",essential,", ",required,", 1);
    fixture::write_file(dir.path(), "skillSkillRelations.csv", &relations);
    assert_eq!(
        error(dir.path()),
        "skillSkillRelations.csv line 3: column relationType: 'required' is not one of essential, optional"
    );
}

#[test]
fn a_malformed_language_file_fails_the_import_too() {
    let dir = export();
    fixture::write_file(dir.path(), "nl/skillGroups_nl.csv", "conceptUri,preferredLabel,altLabels\n\"x,y,z\n");
    assert_eq!(error(dir.path()), "nl/skillGroups_nl.csv line 2: unbalanced quotes: a quoted field is not closed");
}

#[test]
fn the_shared_esco_set_loads_completely() {
    let dir = default_dir().expect("the shared ESCO data (set HRMESH_ESCO_DIR to the directory of skills_en.csv)");
    let (data, report) = parse_dir(&dir).expect("ESCO v1.1.1 parses");
    let counts = data.counts();
    assert_eq!((counts.skills, counts.occupations, counts.relations), (13_896, 3_007, 5_899));
    // 640 groups in skillGroups_en.csv and 7 only in skillsHierarchy_en.csv.
    assert_eq!((counts.groups, counts.broader), (647, 20_656));
    let read = |name: &str| report.files.iter().find(|(f, _)| f == name).map(|(_, n)| *n);
    assert_eq!(read("occupationSkillRelations.csv"), Some(123_855));
    // 67 of them belong to an occupation occupations_en.csv does not have.
    assert_eq!(counts.occupation_skills, 123_855 - 67);
    assert!(
        report.skipped.iter().any(|s| s.starts_with("occupationSkillRelations.csv: 67 relations name 1 occupation "))
    );
    let nl = data.skills.iter().filter(|s| s.labels.iter().any(|l| l.lang == Lang::Nl)).count();
    assert_eq!(nl, 2_218, "Dutch labels for every skill of the collections");
    let de = data.occupations.iter().filter(|o| o.labels.iter().any(|l| l.lang == Lang::De)).count();
    assert_eq!(de, 3_004, "German labels join for all but 3 occupations");
    assert!(data.skills.iter().all(|s| s.labels.first().is_some_and(|l| l.lang == Lang::En && l.preferred)));
    let described = |lang: Lang| data.skills.iter().filter(|s| s.descriptions.iter().any(|d| d.lang == lang)).count();
    assert!(described(Lang::En) > 13_000, "English descriptions: {}", described(Lang::En));
    assert!(described(Lang::Nl) > 2_000 && described(Lang::De) > 2_000, "collection descriptions");
}
