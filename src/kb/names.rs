//! Cleaning a name found in an article before it becomes a knowledge-base entry:
//! titles and roles come off the front into a role hint ("German Foreign
//! Minister Annalena Baerbock" → "Annalena Baerbock", role hint "German Foreign
//! Minister"), honorifics too ("Mrs. Clinton"), and a person's surname is the
//! alias news writing uses after the first mention. `kb suggest` and the
//! editor's "Add … to knowledge base" fix both clean names here.
//!
//! The word lists are data, all in this module: [`HONORIFICS`], [`TITLE_WORDS`],
//! [`DEMONYMS`] (which also serve as a gazetteer of countries),
//! [`ORGANIZATION_HEADS`], [`AGREEMENT_HEADS`], [`PLACE_WORDS`] and
//! [`PLACE_PREPOSITIONS`]. They are English; a corpus in another language
//! needs its own lists.

use super::EntryKind;

/// Forms of address written before a name; a trailing `.` is optional.
pub const HONORIFICS: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Lord", "Lady", "Rev", "Prof"];

/// Capitalised words of a title or role written before a name ("Senate Majority
/// Leader", "Secretary of State", "Former Vice President"). `of`, `the` and
/// `for` join them when a title word follows.
pub const TITLE_WORDS: &[&str] = &[
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Ministers",
    "Foreign",
    "Defence",
    "Defense",
    "Finance",
    "Interior",
    "Justice",
    "Economy",
    "Health",
    "Deputy",
    "Secretary",
    "State",
    "Senator",
    "Sen",
    "Rep",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Governor",
    "Gov",
    "Lieutenant",
    "Lt",
    "Chancellor",
    "Ambassador",
    "Envoy",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "General",
    "Gen",
    "Colonel",
    "Col",
    "Major",
    "Captain",
    "Sgt",
    "Sergeant",
    "Admiral",
    "Commander",
    "Chief",
    "Speaker",
    "Leader",
    "Majority",
    "Minority",
    "Whip",
    "House",
    "Senate",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Crown",
    "Emperor",
    "Pope",
    "Cardinal",
    "Archbishop",
    "Bishop",
    "Sheikh",
    "Ayatollah",
    "Emir",
    "Sultan",
    "Mayor",
    "Judge",
    "Attorney",
    "Prosecutor",
    "Candidate",
    "Nominee",
    "Democratic",
    "Republican",
    "Presidential",
    "Former",
    "Ex",
    "Acting",
    "Interim",
    "Senior",
    "Top",
    "Analyst",
    "Expert",
    "Professor",
    "Official",
    "Diplomat",
    "Adviser",
    "Advisor",
    "Aide",
    "Executive",
    "Officer",
    "Head",
    "Supreme",
    "Activist",
    "Author",
    "Writer",
    "Reporter",
    "Correspondent",
    "Editor",
    "Economist",
    "Historian",
    "Strategist",
    "Pollster",
    "Businessman",
    "Businesswoman",
    "Billionaire",
    "Candidate",
    "Coach",
    "CEO",
    "U.S.",
    "US",
    "UN",
    "EU",
];

/// Demonyms and the country each names: a demonym links to its country but is
/// never itself a place ("Russian security" mentions Russia's security, not a
/// place called Russian). The countries double as a small gazetteer.
pub const DEMONYMS: &[(&str, &str)] = &[
    ("Afghan", "Afghanistan"),
    ("Albanian", "Albania"),
    ("Algerian", "Algeria"),
    ("American", "United States"),
    ("Argentine", "Argentina"),
    ("Armenian", "Armenia"),
    ("Australian", "Australia"),
    ("Austrian", "Austria"),
    ("Azerbaijani", "Azerbaijan"),
    ("Belarusian", "Belarus"),
    ("Belgian", "Belgium"),
    ("Bosnian", "Bosnia and Herzegovina"),
    ("Brazilian", "Brazil"),
    ("British", "United Kingdom"),
    ("Bulgarian", "Bulgaria"),
    ("Canadian", "Canada"),
    ("Chilean", "Chile"),
    ("Chinese", "China"),
    ("Colombian", "Colombia"),
    ("Croatian", "Croatia"),
    ("Cuban", "Cuba"),
    ("Czech", "Czech Republic"),
    ("Danish", "Denmark"),
    ("Dutch", "Netherlands"),
    ("Egyptian", "Egypt"),
    ("Estonian", "Estonia"),
    ("Ethiopian", "Ethiopia"),
    ("Finnish", "Finland"),
    ("French", "France"),
    ("Georgian", "Georgia"),
    ("German", "Germany"),
    ("Greek", "Greece"),
    ("Hungarian", "Hungary"),
    ("Indian", "India"),
    ("Indonesian", "Indonesia"),
    ("Iranian", "Iran"),
    ("Iraqi", "Iraq"),
    ("Irish", "Ireland"),
    ("Israeli", "Israel"),
    ("Italian", "Italy"),
    ("Japanese", "Japan"),
    ("Jordanian", "Jordan"),
    ("Kazakh", "Kazakhstan"),
    ("Kenyan", "Kenya"),
    ("Kurdish", "Kurdistan"),
    ("Latvian", "Latvia"),
    ("Lebanese", "Lebanon"),
    ("Libyan", "Libya"),
    ("Lithuanian", "Lithuania"),
    ("Mexican", "Mexico"),
    ("Moldovan", "Moldova"),
    ("Moroccan", "Morocco"),
    ("Nigerian", "Nigeria"),
    ("North Korean", "North Korea"),
    ("Norwegian", "Norway"),
    ("Pakistani", "Pakistan"),
    ("Palestinian", "Palestine"),
    ("Polish", "Poland"),
    ("Portuguese", "Portugal"),
    ("Romanian", "Romania"),
    ("Russian", "Russia"),
    ("Saudi", "Saudi Arabia"),
    ("Serbian", "Serbia"),
    ("Slovak", "Slovakia"),
    ("South African", "South Africa"),
    ("South Korean", "South Korea"),
    ("Spanish", "Spain"),
    ("Swedish", "Sweden"),
    ("Swiss", "Switzerland"),
    ("Syrian", "Syria"),
    ("Taiwanese", "Taiwan"),
    ("Turkish", "Turkey"),
    ("Ukrainian", "Ukraine"),
    ("Venezuelan", "Venezuela"),
    ("Vietnamese", "Vietnam"),
    ("Yemeni", "Yemen"),
];

/// Words that make a name an organization's ("Ministry of Defence", "Labour Party").
pub const ORGANIZATION_HEADS: &[&str] = &[
    "International",
    "Capital",
    "Partners",
    "Media",
    "Institution",
    "Nations",
    "Management",
    "Holdings",
    "Industries",
    "Systems",
    "Technologies",
    "Pharmaceuticals",
    "Pharmaceutical",
    "Airlines",
    "Motors",
    "Society",
    "Trust",
    "Brigade",
    "Division",
    "Regiment",
    "Battalion",
    "Council",
    "Organization",
    "Organisation",
    "Council",
    "Ministry",
    "Agency",
    "Committee",
    "Union",
    "Party",
    "Association",
    "Institute",
    "Foundation",
    "Bank",
    "Fund",
    "Group",
    "Corporation",
    "Company",
    "Inc",
    "Ltd",
    "Commission",
    "Parliament",
    "Assembly",
    "Congress",
    "Department",
    "Office",
    "University",
    "College",
    "School",
    "Court",
    "Service",
    "Forces",
    "Army",
    "Navy",
    "Guard",
    "Police",
    "Alliance",
    "Coalition",
    "Front",
    "Movement",
    "Network",
    "Times",
    "Post",
    "News",
    "Journal",
    "Press",
    "Reuters",
    "Campaign",
    "Administration",
    "Bureau",
    "Board",
    "Center",
    "Centre",
    "Club",
    "Federation",
    "Senate",
    "House",
];

/// Last words of an agreement's name ("Minsk Protocol", "Paris Agreement").
pub const AGREEMENT_HEADS: &[&str] = &[
    "Agreement",
    "Agreements",
    "Accord",
    "Accords",
    "Act",
    "Declaration",
    "Treaty",
    "Charter",
    "Protocol",
    "Convention",
    "Memorandum",
    "Pact",
    "Deal",
    "Principles",
];

/// Words that make a name a place's ("Donetsk Oblast", "Gaza Strip").
pub const PLACE_WORDS: &[&str] = &[
    "City",
    "Province",
    "Region",
    "Oblast",
    "County",
    "District",
    "Territory",
    "Territories",
    "Republic",
    "Kingdom",
    "State",
    "States",
    "Island",
    "Islands",
    "River",
    "Sea",
    "Ocean",
    "Lake",
    "Mountains",
    "Valley",
    "Peninsula",
    "Gulf",
    "Bay",
    "Strip",
    "Bank",
    "Street",
    "Square",
    "Avenue",
    "Airport",
    "Port",
    "Coast",
    "Heights",
];

/// Words before a name that say it is a place ("in Donetsk", "near Mariupol").
pub const PLACE_PREPOSITIONS: &[&str] = &["in", "near", "outside", "across", "throughout", "into", "towards", "toward"];

/// A name cleaned of what is written around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanName {
    /// The name itself: "Annalena Baerbock".
    pub name: String,
    /// The title or role written before it, if any: "German Foreign Minister".
    pub role_hint: Option<String>,
    /// An honorific written before it: "Mrs".
    pub honorific: Option<String>,
}

fn word_is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// The honorific `word` is ("Mrs." → "Mrs"), if it is one.
pub fn honorific(word: &str) -> Option<&'static str> {
    let bare = word.strip_suffix('.').unwrap_or(word);
    HONORIFICS.iter().copied().find(|h| *h == bare)
}

/// The country a demonym names ("Russian" → "Russia").
pub fn demonym_country(word: &str) -> Option<&'static str> {
    DEMONYMS.iter().find(|(demonym, _)| *demonym == word).map(|(_, country)| *country)
}

/// Whether `word` may stand in a title written before a name.
pub fn is_title_word(word: &str) -> bool {
    word_is(TITLE_WORDS, word) || word_is(TITLE_WORDS, word.trim_end_matches('.')) || demonym_country(word).is_some()
}

/// Splits a name as found in an article into the name, the role hint written
/// before it and an honorific. Titles come off only while two words of the name
/// remain (after an honorific, one), and never from an organization's or
/// agreement's name ("Democratic National Committee" stays whole); a possessive
/// `'s` and surrounding punctuation go too.
///
/// ```
/// # use marginalia::kb::names::clean_name;
/// let clean = clean_name("German Foreign Minister Annalena Baerbock");
/// assert_eq!((clean.name.as_str(), clean.role_hint.as_deref()), ("Annalena Baerbock", Some("German Foreign Minister")));
/// assert_eq!(clean_name("Secretary of State John Kerry's").role_hint.as_deref(), Some("Secretary of State"));
/// assert_eq!(clean_name("Mrs. Clinton").name, "Clinton");
/// assert_eq!(clean_name("Democratic National Committee").name, "Democratic National Committee");
/// assert_eq!(clean_name("General Motors").name, "General Motors");
/// ```
pub fn clean_name(raw: &str) -> CleanName {
    let trimmed = raw.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')').trim_end_matches(['.', ',']);
    let mut words: Vec<&str> = trimmed.split_whitespace().collect();
    // A possessive before the last word ends the name: "Clinton's Latino" is Clinton.
    if let Some(i) = words.iter().position(|w| w.ends_with("'s") || w.ends_with("’s")) {
        words.truncate(i + 1);
    }
    if let Some(last) = words.last_mut() {
        *last = last.strip_suffix("'s").or_else(|| last.strip_suffix("’s")).unwrap_or(last);
    }
    // Words capitalised only because they open a sentence or a headline.
    while words.len() > 1 && (word_is(LEADING_NOISE, words[0]) || words[0].starts_with(char::is_lowercase)) {
        words.remove(0);
    }
    let institution = words.iter().any(|w| word_is(ORGANIZATION_HEADS, w) && !word_is(TITLE_WORDS, w))
        || words.last().is_some_and(|w| word_is(AGREEMENT_HEADS, w))
        || words.iter().any(|w| word_is(PLACE_WORDS, w) && !word_is(TITLE_WORDS, w));
    let mut start = 0;
    if !institution {
        // Title words (and `of`/`the`/`for` before a title word; a place
        // qualifying the first title, "Texas Senator") while two words of the
        // name would remain.
        while words.len() - start > 2 {
            let word = words[start];
            let next_is_title = words.get(start + 1).is_some_and(|next| is_title_word(next));
            let joins = matches!(word, "of" | "the" | "for") && next_is_title;
            let qualifies = start == 0 && next_is_title && word.chars().next().is_some_and(char::is_uppercase);
            if !(is_title_word(word) || joins || qualifies) {
                break;
            }
            start += 1;
        }
    }
    let role_hint = (start > 0).then(|| expand_title(&words[..start].join(" ")));
    let mut honorific_found = None;
    if !institution
        && words.len() - start >= 2
        && let Some(h) = honorific(words[start])
    {
        honorific_found = Some(h.to_string());
        start += 1;
    }
    let mut name = &words[start..];
    if !institution {
        // A person's name ends before a connector or a day ("Gwen Graham on
        // Friday", "ISIS on Facebook"); particles stay ("Osama bin Laden").
        let ends_name = |w: &&str| word_is(CONNECTORS, &w.to_lowercase()) || word_is(CALENDAR_WORDS, w);
        if let Some(end) = name.iter().skip(1).position(ends_name) {
            name = &name[..end + 1];
        }
    }
    CleanName { name: name.join(" "), role_hint, honorific: honorific_found }
}

/// Lowercase words that join two names ("Gwen Graham on Friday"); a person's
/// name found by the analysis ends before one.
pub const CONNECTORS: &[&str] = &["on", "in", "at", "of", "and", "for", "the", "to", "by", "with", "from", "as", "after", "before"];

/// Days and months, which follow a name without being part of it.
pub const CALENDAR_WORDS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Capitalised words that open a sentence or a headline before a name ("Are
/// Democrats", "Will Cruz", "Following the Iowa caucuses").
pub const LEADING_NOISE: &[&str] = &[
    "Are",
    "Is",
    "Was",
    "Were",
    "Will",
    "Would",
    "Can",
    "Could",
    "Should",
    "Must",
    "May",
    "Might",
    "Do",
    "Does",
    "Did",
    "To",
    "For",
    "From",
    "With",
    "Without",
    "Following",
    "After",
    "Before",
    "When",
    "While",
    "Why",
    "How",
    "What",
    "Where",
    "Who",
    "Like",
    "Unlike",
    "Under",
    "Over",
    "Via",
    "Hail",
    "Meet",
    "Ask",
    "Says",
    "Said",
    "Dear",
    "Thank",
    "Thanks",
    "Watch",
    "See",
    "Let",
    "Here",
    "There",
    "Now",
    "Then",
    "Even",
    "Only",
    "Also",
    "Yet",
    "So",
    "Not",
    "No",
    "Yes",
    "Oh",
    "Sorry",
    "Please",
    "Just",
    "Still",
    "Again",
    "Since",
    "Until",
    "By",
    "Of",
    "On",
    "In",
    "At",
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "If",
    "As",
    "Is",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "Every",
    "All",
    "Some",
    "Many",
    "Most",
    "Both",
];

/// Abbreviated titles and what they stand for, so that a role hint reads
/// "Senator", not "Sen.".
pub const TITLE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("Sen.", "Senator"),
    ("Sen", "Senator"),
    ("Rep.", "Representative"),
    ("Rep", "Representative"),
    ("Gov.", "Governor"),
    ("Gov", "Governor"),
    ("Gen.", "General"),
    ("Gen", "General"),
    ("Lt.", "Lieutenant"),
    ("Lt", "Lieutenant"),
    ("Col.", "Colonel"),
    ("Col", "Colonel"),
    ("Sgt.", "Sergeant"),
    ("Sgt", "Sergeant"),
    ("Adm.", "Admiral"),
    ("Prof.", "Professor"),
    ("Amb.", "Ambassador"),
];

/// A title with its abbreviations spelt out ("Democratic U.S. Rep." →
/// "Democratic U.S. Representative").
pub fn expand_title(title: &str) -> String {
    title
        .split(' ')
        .map(|w| TITLE_ABBREVIATIONS.iter().find(|(short, _)| *short == w).map_or(w, |(_, long)| *long))
        .collect::<Vec<&str>>()
        .join(" ")
}

/// A person's surname, the alias used after the first mention: the last word,
/// when the name has two or more and the last is capitalised and not a
/// generational suffix ("Jr", "III": then the word before it).
///
/// ```
/// # use marginalia::kb::names::surname;
/// assert_eq!(surname("Hillary Rodham Clinton"), Some("Clinton"));
/// assert_eq!(surname("Martin Luther King Jr."), Some("King"));
/// assert_eq!(surname("Madonna"), None);
/// ```
pub fn surname(name: &str) -> Option<&str> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut last = words.len().checked_sub(1)?;
    if matches!(words[last].trim_end_matches('.'), "Jr" | "Sr" | "II" | "III" | "IV") {
        last = last.checked_sub(1)?;
    }
    (last >= 1 && words[last].chars().next().is_some_and(char::is_uppercase)).then_some(words[last].trim_end_matches(','))
}

/// The kind a name's own words say, if they say one: an agreement's head last,
/// an organization's head word or an acronym, a place word; `None` for names
/// that could be anyone's (the context decides then).
///
/// ```
/// # use marginalia::kb::{EntryKind, names::kind_from_words};
/// assert_eq!(kind_from_words("Ministry of Defence"), Some(EntryKind::Organization));
/// assert_eq!(kind_from_words("Minsk Protocol"), Some(EntryKind::Agreement));
/// assert_eq!(kind_from_words("Donetsk Oblast"), Some(EntryKind::Place));
/// assert_eq!(kind_from_words("Annalena Baerbock"), None);
/// ```
pub fn kind_from_words(name: &str) -> Option<EntryKind> {
    let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.last().is_some_and(|w| word_is(AGREEMENT_HEADS, w)) {
        return Some(EntryKind::Agreement);
    }
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if words.iter().any(|w| word_is(ORGANIZATION_HEADS, w))
        || (words.len() == 1 && letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()))
    {
        return Some(EntryKind::Organization);
    }
    if words.iter().any(|w| word_is(PLACE_WORDS, w)) || DEMONYMS.iter().any(|(_, country)| *country == name) {
        return Some(EntryKind::Place);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_off_into_the_role_hint() {
        let cases = [
            ("German Foreign Minister Annalena Baerbock", "Annalena Baerbock", Some("German Foreign Minister"), None),
            ("Senate Majority Leader Mitch McConnell", "Mitch McConnell", Some("Senate Majority Leader"), None),
            ("Former Secretary of State Hillary Clinton", "Hillary Clinton", Some("Former Secretary of State"), None),
            ("Mrs. Clinton", "Clinton", None, Some("Mrs")),
            ("Dr. Ben Carson", "Ben Carson", None, Some("Dr")),
            ("Hillary Rodham Clinton", "Hillary Rodham Clinton", None, None),
            // Two words stay: "President Obama" is not reduced to "Obama".
            ("President Obama", "President Obama", None, None),
            ("Russian Defense Ministry", "Russian Defense Ministry", None, None),
            ("“Annalena Baerbock”,", "Annalena Baerbock", None, None),
        ];
        for (raw, name, role, honorific) in cases {
            let clean = clean_name(raw);
            assert_eq!((clean.name.as_str(), clean.role_hint.as_deref(), clean.honorific.as_deref()), (name, role, honorific), "{raw}");
        }
    }

    #[test]
    fn demonyms_name_their_country_and_are_titles_not_places() {
        assert_eq!(demonym_country("Russian"), Some("Russia"));
        assert!(is_title_word("Ukrainian"));
        assert_eq!(kind_from_words("Russian"), None, "a demonym alone is no place");
        assert_eq!(kind_from_words("Russia"), Some(EntryKind::Place), "its country is");
    }
}
