//! Wikidata entity JSON (as published in dumps and by `Special:EntityData`)
//! mapped to knowledge-base records. Pure: one entity's JSON value in, one
//! record out; reading files, resolving position labels and writing the KB
//! file are the CLI's (`cli::kb`).
//!
//! Dates: Wikidata times carry a precision. Day precision (11) gives that day;
//! month (10) and year (9) precision give the first day of the month or year
//! (`+2004-00-00T00:00:00Z`, precision 9 → 2004-01-01), because a KB date is a
//! full calendar date. Coarser precisions (decade, century) and years before
//! 1 AD give no date. The calendar model (Julian or Gregorian) is not converted.

use chrono::NaiveDate;
use serde_json::Value;

use super::EntryKind;

/// The `P31` (instance of) classes imported, by kind, each with its English
/// label for the reader. An entity is imported when one of its `P31` values is
/// listed; subclasses are not followed (that needs the whole class tree), so
/// common subclasses are listed themselves. The first kind that matches wins,
/// in this order: a sovereign state that is also an organization is a place.
pub const IMPORTED_CLASSES: &[(EntryKind, &[(&str, &str)])] = &[
    (EntryKind::Person, &[("Q5", "human")]),
    (EntryKind::Agreement, &[("Q131569", "treaty"), ("Q321839", "agreement"), ("Q93288", "contract"), ("Q625298", "peace treaty")]),
    (
        EntryKind::Place,
        &[
            ("Q6256", "country"),
            ("Q3624078", "sovereign state"),
            ("Q7275", "state"),
            ("Q515", "city"),
            ("Q1549591", "big city"),
            ("Q1637706", "city with millions of inhabitants"),
            ("Q5119", "capital"),
            ("Q10864048", "first-level administrative division"),
            ("Q82794", "geographic region"),
        ],
    ),
    (
        EntryKind::Organization,
        &[
            ("Q43229", "organization"),
            ("Q7278", "political party"),
            ("Q327333", "government agency"),
            ("Q484652", "international organization"),
            ("Q245065", "intergovernmental organization"),
            ("Q2659904", "government organization"),
            ("Q1127126", "military alliance"),
            ("Q4830453", "business"),
            ("Q783794", "company"),
            ("Q891723", "public company"),
            ("Q163740", "nonprofit organization"),
            ("Q41487", "court"),
            ("Q7188", "government"),
            ("Q192350", "ministry"),
        ],
    ),
];

/// Properties read.
pub mod property {
    /// "instance of": the classes that give an entity its kind.
    pub const INSTANCE_OF: &str = "P31";
    /// "position held": a person's roles.
    pub const POSITION_HELD: &str = "P39";
    /// "start time" of a role, or an agreement's date.
    pub const START_TIME: &str = "P580";
    /// "end time" of a role.
    pub const END_TIME: &str = "P582";
    /// "point in time": an agreement's date without a start time.
    pub const POINT_IN_TIME: &str = "P585";
    /// "inception" of an organization.
    pub const INCEPTION: &str = "P571";
    /// "dissolved, abolished or demolished date" of an organization.
    pub const DISSOLVED: &str = "P576";
    /// "signatory" of an agreement.
    pub const SIGNATORY: &str = "P1891";
}

/// A position held, its title still the position's QID: positions are other
/// entities of the same input, resolved to their labels later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRole {
    /// The position's QID.
    pub position: String,
    /// The start time qualifier, if given.
    pub start: Option<NaiveDate>,
    /// The end time qualifier, if given.
    pub end: Option<NaiveDate>,
}

/// One imported entity, before ids are assigned and references resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikidataRecord {
    /// The item's QID (`Q…`).
    pub qid: String,
    /// The kind its classes give.
    pub kind: EntryKind,
    /// Its label in the first configured language that has one.
    pub name: String,
    /// Labels and aliases in the configured languages other than `name`, in
    /// language order, without duplicates.
    pub aliases: Vec<String>,
    /// Its description in that language.
    pub description: String,
    /// People: positions held.
    pub roles: Vec<PendingRole>,
    /// Agreements: start time (P580), else point in time (P585).
    pub date: Option<NaiveDate>,
    /// Agreements: the signatories' QIDs (P1891).
    pub parties: Vec<String>,
    /// Organizations: inception (P571) and dissolution (P576).
    pub founded: Option<NaiveDate>,
    /// Organizations: dissolution (P576).
    pub dissolved: Option<NaiveDate>,
}

impl WikidataRecord {
    /// Every name the entity is known by: the name first, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The entity's id (`Q…`), for items only (properties and lexemes are skipped).
pub fn item_id(entity: &Value) -> Option<&str> {
    entity.get("id")?.as_str().filter(|id| super::load::is_wikidata_item(id))
}

/// The kind an entity is imported as, from its `P31` classes; `None` skips it.
pub fn kind_of(entity: &Value) -> Option<EntryKind> {
    let classes: Vec<&str> = statements(entity, property::INSTANCE_OF).filter_map(item_value).collect();
    IMPORTED_CLASSES.iter().find(|(_, listed)| listed.iter().any(|(qid, _)| classes.contains(qid))).map(|(kind, _)| *kind)
}

/// Maps one entity, or `None` when its class is not imported or it has no
/// label in any of `languages`.
pub fn map_entity(entity: &Value, languages: &[String]) -> Option<WikidataRecord> {
    let qid = item_id(entity)?.to_string();
    let kind = kind_of(entity)?;
    let name = label(entity, languages)?;
    let mut aliases: Vec<String> = Vec::new();
    for language in languages {
        let label = language_value(entity.get("labels"), language);
        let more = entity.get("aliases").and_then(|a| a.get(language)).and_then(Value::as_array).into_iter().flatten();
        for alias in label.into_iter().chain(more.filter_map(|a| a.get("value")?.as_str())) {
            let alias = clean_name(alias);
            if !alias.is_empty() && alias != name && !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
    }
    let description = languages.iter().find_map(|l| language_value(entity.get("descriptions"), l)).unwrap_or_default().trim().to_string();
    let mut record = WikidataRecord {
        qid,
        kind,
        name,
        aliases,
        description,
        roles: Vec::new(),
        date: None,
        parties: Vec::new(),
        founded: None,
        dissolved: None,
    };
    match kind {
        EntryKind::Person => {
            record.roles = statements(entity, property::POSITION_HELD)
                .filter_map(|statement| {
                    let position = item_value(statement)?.to_string();
                    let start = qualifier_date(statement, property::START_TIME);
                    let end = qualifier_date(statement, property::END_TIME);
                    Some(PendingRole { position, start, end })
                })
                .collect();
            record.roles.sort_by_key(|r| (r.start, r.end));
        }
        EntryKind::Agreement => {
            record.date = single_date(entity, property::START_TIME).or_else(|| single_date(entity, property::POINT_IN_TIME));
            record.parties = statements(entity, property::SIGNATORY).filter_map(item_value).map(str::to_string).collect();
        }
        EntryKind::Organization => {
            record.founded = single_date(entity, property::INCEPTION);
            record.dissolved = single_date(entity, property::DISSOLVED);
        }
        EntryKind::Place => {}
    }
    Some(record)
}

/// The label in the first of `languages` that has one.
pub fn label(entity: &Value, languages: &[String]) -> Option<String> {
    languages.iter().filter_map(|l| language_value(entity.get("labels"), l)).map(clean_name).find(|l| !l.is_empty())
}

/// `{"en": {"language": "en", "value": "…"}}` → the value for `language`.
fn language_value<'a>(map: Option<&'a Value>, language: &str) -> Option<&'a str> {
    map?.get(language)?.get("value")?.as_str()
}

/// A name as the KB wants it: straight apostrophes, single spaces, no outer spaces.
fn clean_name(name: &str) -> String {
    name.replace(['\u{2019}', '\u{2018}'], "'").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The statements of `property` that count: deprecated ones never do.
fn statements<'a>(entity: &'a Value, property: &str) -> impl Iterator<Item = &'a Value> {
    entity
        .get("claims")
        .and_then(|c| c.get(property))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|s| s.get("rank").and_then(Value::as_str) != Some("deprecated"))
}

/// The statements of a single-valued fact: the preferred ones if there are
/// any (Wikidata marks the current or best value so), else the normal ones.
fn best_statements<'a>(entity: &'a Value, property: &str) -> Vec<&'a Value> {
    let all: Vec<&Value> = statements(entity, property).collect();
    let preferred: Vec<&Value> = all.iter().copied().filter(|s| s.get("rank").and_then(Value::as_str) == Some("preferred")).collect();
    if preferred.is_empty() { all } else { preferred }
}

/// The first date among the best statements of `property` that has one.
fn single_date(entity: &Value, property: &str) -> Option<NaiveDate> {
    best_statements(entity, property).into_iter().find_map(|s| snak_date(s.get("mainsnak")?))
}

/// The item a statement's main snak points to; `novalue` and `somevalue`
/// snaks have no datavalue and give nothing.
fn item_value(statement: &Value) -> Option<&str> {
    let snak = statement.get("mainsnak")?;
    if snak.get("snaktype").and_then(Value::as_str) != Some("value") {
        return None;
    }
    snak.get("datavalue")?.get("value")?.get("id")?.as_str()
}

/// The first dated qualifier `property` of a statement.
fn qualifier_date(statement: &Value, property: &str) -> Option<NaiveDate> {
    statement.get("qualifiers")?.get(property)?.as_array()?.iter().find_map(snak_date)
}

/// A time snak's date (see the module doc for precision); `novalue` and
/// `somevalue` (unknown date) give none.
fn snak_date(snak: &Value) -> Option<NaiveDate> {
    if snak.get("snaktype").and_then(Value::as_str) != Some("value") {
        return None;
    }
    let value = snak.get("datavalue")?.get("value")?;
    let precision = value.get("precision")?.as_u64()?;
    parse_time(value.get("time")?.as_str()?, precision)
}

/// `+2004-03-09T00:00:00Z` at `precision` (9 year, 10 month, 11 day) → a date.
pub fn parse_time(time: &str, precision: u64) -> Option<NaiveDate> {
    if precision < 9 {
        return None;
    }
    let rest = time.strip_prefix('+')?;
    let mut parts = rest.split(['-', 'T']);
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = if precision >= 10 { month.max(1) } else { 1 };
    let day = if precision >= 11 { day.max(1) } else { 1 };
    if year < 1 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A readable KB id from a name: `Sergey Lavrov` → `sergey-lavrov`. Letters
/// outside ASCII are dropped (their words join the hyphens), so a name with
/// none left gives the QID in lowercase.
pub fn slug(name: &str, qid: &str) -> String {
    let lowered: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    let slug = lowered.split_whitespace().collect::<Vec<_>>().join("-");
    if slug.is_empty() { qid.to_ascii_lowercase() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn en() -> Vec<String> {
        vec!["en".into(), "de".into()]
    }

    fn time(t: &str, precision: u64) -> Value {
        json!({"snaktype": "value", "property": "P580", "datavalue": {"value": {"time": t, "timezone": 0, "before": 0, "after": 0, "precision": precision, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}, "type": "time"}})
    }

    #[test]
    fn precision_gives_the_start_of_the_year_or_month() {
        assert_eq!(parse_time("+2004-00-00T00:00:00Z", 9), NaiveDate::from_ymd_opt(2004, 1, 1));
        assert_eq!(parse_time("+2004-03-00T00:00:00Z", 10), NaiveDate::from_ymd_opt(2004, 3, 1));
        assert_eq!(parse_time("+2004-03-09T00:00:00Z", 11), NaiveDate::from_ymd_opt(2004, 3, 9));
        assert_eq!(parse_time("+2000-00-00T00:00:00Z", 8), None);
        assert_eq!(parse_time("-0500-00-00T00:00:00Z", 9), None);
    }

    #[test]
    fn person_with_ranked_and_odd_positions() {
        let statement = |id: Option<&str>, rank: &str, qualifiers: Value| match id {
            Some(id) => {
                json!({"mainsnak": {"snaktype": "value", "property": "P39", "datavalue": {"value": {"entity-type": "item", "id": id}, "type": "wikibase-entityid"}}, "rank": rank, "qualifiers": qualifiers})
            }
            None => json!({"mainsnak": {"snaktype": "novalue", "property": "P39"}, "rank": rank}),
        };
        let entity = json!({
            "type": "item", "id": "Q1",
            "labels": {"de": {"language": "de", "value": "Person Eins"}},
            "aliases": {"en": [{"language": "en", "value": "P. One"}]},
            "claims": {
                "P31": [{"mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {"value": {"id": "Q5"}, "type": "wikibase-entityid"}}, "rank": "normal"}],
                "P39": [
                    statement(Some("Q10"), "normal", json!({"P580": [time("+2004-03-09T00:00:00Z", 11)]})),
                    statement(Some("Q11"), "deprecated", json!({})),
                    statement(Some("Q12"), "normal", json!({"P582": [time("+1999-00-00T00:00:00Z", 9)]})),
                    statement(None, "normal", json!({})),
                ]
            }
        });
        let record = map_entity(&entity, &en()).unwrap();
        assert_eq!(record.kind, EntryKind::Person);
        assert_eq!(record.name, "Person Eins", "falls back to the next language");
        assert_eq!(record.aliases, ["P. One"]);
        let roles: Vec<_> = record.roles.iter().map(|r| (r.position.as_str(), r.start, r.end)).collect();
        assert_eq!(roles, [("Q12", None, NaiveDate::from_ymd_opt(1999, 1, 1)), ("Q10", NaiveDate::from_ymd_opt(2004, 3, 9), None)]);
    }

    #[test]
    fn preferred_rank_wins_for_single_valued_dates_and_unlisted_classes_are_skipped() {
        let dated = |t: &str, rank: &str| json!({"mainsnak": time(t, 11), "rank": rank});
        let entity = json!({
            "id": "Q7184", "labels": {"en": {"language": "en", "value": "NATO"}},
            "claims": {
                "P31": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q1127126"}}}, "rank": "normal"}],
                "P571": [dated("+1950-01-01T00:00:00Z", "normal"), dated("+1949-04-04T00:00:00Z", "preferred")]
            }
        });
        let record = map_entity(&entity, &en()).unwrap();
        assert_eq!((record.kind, record.founded), (EntryKind::Organization, NaiveDate::from_ymd_opt(1949, 4, 4)));
        let mut other = entity.clone();
        other["claims"]["P31"][0]["mainsnak"]["datavalue"]["value"]["id"] = json!("Q4167410");
        assert_eq!(map_entity(&other, &en()), None);
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slug("Sergey Lavrov", "Q1"), "sergey-lavrov");
        assert_eq!(
            slug("Organization for Security and Co-operation in Europe", "Q1"),
            "organization-for-security-and-co-operation-in-europe"
        );
        assert_eq!(slug("Лавров", "Q4115189"), "q4115189");
    }
}
