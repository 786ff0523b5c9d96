//! A small ESCO export in the official layout (CRLF records, LF inside quoted fields, language
//! files with their own column order) for tests.

use std::path::Path;

pub const ESCO: &str = "http://data.europa.eu/esco/";

pub fn skill(id: &str) -> String {
    format!("{ESCO}skill/{id}")
}

pub fn occupation(id: &str) -> String {
    format!("{ESCO}occupation/{id}")
}

/// One CSV record, quoted where needed.
fn record(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { (*f).to_owned() }
        })
        .collect();
    quoted.join(",")
}

/// A file: the header, then the records, each ended by `eol`.
pub fn file(header: &str, rows: &[&[&str]], eol: &str) -> String {
    let mut out = format!("{header}{eol}");
    for row in rows {
        out.push_str(&record(row));
        out.push_str(eol);
    }
    out
}

pub const SKILLS_HEADER: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,\
                                 status,modifiedDate,scopeNote,definition,inScheme,description";

/// skills_en.csv: three skills, one with duplicate and padded alternative labels.
pub fn skills_file() -> String {
    let (python, sql, staff) = (skill("python"), skill("sql"), skill("staff"));
    let row = |uri: &str, kind: &str, reuse: &str, preferred: &str, alternatives: &str| -> String {
        let fields =
            ["KnowledgeSkillCompetence", uri, kind, reuse, preferred, alternatives, "", "released", "", "", "", "", ""];
        record(&fields)
    };
    [
        SKILLS_HEADER.to_owned(),
        row(&python, "skill/competence", "cross-sector", "Python", "python programming\nPython\n py "),
        row(&sql, "knowledge", "", "SQL", ""),
        row(&staff, "", "sector-specific", "manage musical staff", "manage staff of music"),
        String::new(),
    ]
    .join("\r\n")
}

/// Writes the whole export into `dir`.
pub fn write(dir: &Path) {
    let (python, sql, staff) = (skill("python"), skill("sql"), skill("staff"));
    let (g1, g2, g3) = (skill("g-communication"), skill("g-programming"), skill("g-only-in-hierarchy"));
    let (dev, manager, withdrawn) = (occupation("developer"), occupation("manager"), occupation("withdrawn"));
    let unknown_skill = skill("not-in-this-version");
    let files: Vec<(&str, String)> = vec![
        ("skills_en.csv", skills_file()),
        (
            "skillGroups_en.csv",
            file(
                "conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,inScheme,\
                 description,code",
                &[
                    &["SkillGroup", &g1, "communication", "", "", "released", "", "", "", "", "S1"],
                    &["SkillGroup", &g2, "programming", "coding", "", "released", "", "", "", "", "S1.1"],
                ],
                "\r\n",
            ),
        ),
        (
            "skillsHierarchy_en.csv",
            // Rows leave out trailing empty code columns, as the official file does.
            format!(
                "Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Level 2 URI,\
                 Level 2 preferred term,Level 3 URI,Level 3 preferred term,Description,Scope note,Level 0 code,\
                 Level 1 code,Level 2 code,Level 3 code\r\n\
                 {g1},communication,,,,,,,,,S1\r\n\
                 {g1},communication,{g2},programming,,,,,,,S1,S1.1\r\n\
                 {g1},communication,{g3},hierarchy only,,,,,,,S1,S1.2\r\n"
            ),
        ),
        (
            "broaderRelationsSkillPillar.csv",
            format!(
                "conceptType,conceptUri,broaderType,broaderUri\r\n\
                 SkillGroup,{g2},SkillGroup,{g1}\r\n\
                 SkillGroup,{g3},SkillGroup,{g1}\r\n\
                 KnowledgeSkillCompetence,{python},SkillGroup,{g2}\r\n\
                 KnowledgeSkillCompetence,{sql},SkillGroup,{g3}\r\n\
                 KnowledgeSkillCompetence,{staff},KnowledgeSkillCompetence,{python}\r\n"
            ),
        ),
        (
            "skillSkillRelations.csv",
            format!(
                "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri\r\n\
                 {python},skill/competence,optional,knowledge,{sql}\r\n\
                 {sql},knowledge,essential,skill/competence,{python}\r\n"
            ),
        ),
        (
            "occupations_en.csv",
            file(
                "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,\
                 regulatedProfessionNote,scopeNote,definition,inScheme,description,code",
                &[
                    &[
                        "Occupation",
                        &dev,
                        "2512",
                        "software developer",
                        "programmer\ncoder",
                        "",
                        "released",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "Writes software.\nTests it, too.",
                        "2512.4",
                    ],
                    &["Occupation", &manager, "1212", "manager", "", "", "released", "", "", "", "", "", "", "1212.1"],
                ],
                "\r\n",
            ),
        ),
        (
            "occupationSkillRelations.csv",
            format!(
                "occupationUri,relationType,skillType,skillUri\r\n\
                 {dev},essential,skill/competence,{python}\r\n\
                 {dev},optional,knowledge,{sql}\r\n\
                 {manager},essential,skill/competence,{staff}\r\n\
                 {withdrawn},essential,skill/competence,{python}\r\n\
                 {withdrawn},optional,knowledge,{sql}\r\n"
            ),
        ),
        (
            // Dutch: LF line endings, a collection instead of skills_nl.csv (other column order, " | ").
            "nl/digitalSkillsCollection_nl.csv",
            format!(
                "conceptType,conceptUri,preferredLabel,status,skillType,reuseLevel,altLabels,description,\
                 broaderConceptUri,broaderConceptPT\n\
                 KnowledgeSkillCompetence,{python},Python,released,skill/competence,cross-sector,\
                 Python-programmeren | programmeren in Python,,,\n\
                 KnowledgeSkillCompetence,{unknown_skill},onbekend,released,knowledge,,a | b,,,\n"
            ),
        ),
        (
            "nl/skillGroups_nl.csv",
            format!(
                "conceptType,conceptUri,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,inScheme,\
                 description,code\n\
                 SkillGroup,{g1},communicatie,,,released,,,,,S1\n"
            ),
        ),
        (
            // German, in the export directory itself; another ESCO version (extra column, a row twice).
            "occupations_de.csv",
            format!(
                "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,\
                 regulatedProfessionNote,scopeNote,definition,inScheme,description,code,naceCode\r\n\
                 Occupation,{dev},2512,Softwareentwickler,\"Programmierer\nSoftwareentwicklerin\",,released,,,,,,,2512.4,\r\n\
                 Occupation,{dev},2512,Softwareentwickler,Entwickler,,released,,,,,,,2512.4,\r\n"
            ),
        ),
    ];
    for (name, content) in files {
        write_file(dir, name, &content);
    }
}

/// Writes (or replaces) one file of the export in `dir`.
pub fn write_file(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create fixture dir");
    }
    std::fs::write(path, content).expect("write fixture file");
}
