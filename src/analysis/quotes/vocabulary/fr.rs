//! French: speech cues (a déclaré, a dit, selon, a-t-il ajouté: the verb
//! comes before its subject after a quote) and the closed word lists.

pub(crate) const PRONOUNS: &[&str] = &["il", "elle", "ils", "elles", "on", "je", "nous"];
pub(crate) const RELATIVES: &[&str] = &["qui"];
pub(crate) const SKIPPED_BEFORE_VERB: &[&str] = &[
    "a",
    "ont",
    "avait",
    "aussi",
    "également",
    "encore",
    "ensuite",
    "déjà",
    "alors",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "ne",
    "pas",
    "par",
    "ailleurs",
    "pour",
    "sa",
    "part",
];
pub(crate) const STOP_WORDS: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "mais", "donc", "or", "ni", "car", "que", "qu", "qui", "si",
    "quand", "comme", "dans", "en", "sur", "sous", "pour", "par", "avec", "sans", "entre", "vers", "chez", "à", "au", "aux", "est", "sont",
    "était", "étaient", "être", "été", "a", "ont", "avait", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre",
    "nos", "votre", "vos", "mon", "ma", "mes", "ne", "pas", "plus", "très", "aussi", "se", "lui", "eux", "y", "selon",
];
pub(crate) const QUANTIFIERS: &[&str] = &["certains", "plusieurs", "beaucoup"];
pub(crate) const NO_SUBJECT_OPENERS: &[&str] = &["ici", "voici", "voilà", "pourquoi", "comment", "où", "si", "quand"];
pub(crate) const NOUN_PHRASE_LINKS: &[&str] = &["de", "du", "des", "d", "la", "le", "les", "l", "en", "à", "au", "aux"];
pub(crate) const DETERMINERS: &[&str] =
    &["le", "la", "les", "l", "un", "une", "des", "du", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs"];
pub(crate) const NOUN_LIKE_CUES: &[&str] = &["dit", "propos"];
pub(crate) const INTRODUCERS: &[&str] =
    &["à", "en", "dans", "lors", "après", "avant", "pendant", "depuis", "mais", "et", "puis", "ensuite", "cependant", "toutefois", "par"];
pub(crate) const BE_AUXILIARIES: &[&str] = &[];
pub(crate) const AFTER_QUOTE_ONLY: &[&str] = &["poursuit", "a poursuivi"];
pub(crate) const HEADLINE_SMALL_WORDS: &[&str] = &[];
pub(crate) const POSSESSIVE_PRONOUNS: &[&str] = &["son", "sa", "ses", "leur", "leurs"];
pub(crate) const SPEECH_NOUNS: &[&str] =
    &["déclaration", "déclarations", "propos", "avertissement", "remarque", "remarques", "paroles", "appel", "promesse"];
pub(crate) const WEEKDAYS: &[&str] = &["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "a déclaré",
    "a dit",
    "a affirmé",
    "a ajouté",
    "a souligné",
    "a précisé",
    "a expliqué",
    "a indiqué",
    "a estimé",
    "a assuré",
    "a averti",
    "a insisté",
    "a martelé",
    "a rappelé",
    "a lancé",
    "a répondu",
    "a jugé",
    "a annoncé",
    "a confié",
    "a reconnu",
    "a noté",
    "a poursuivi",
    "a écrit",
    "a tweeté",
    "a fait valoir",
    "a prévenu",
    "a dénoncé",
    "a plaidé",
    "a démenti",
    "a réaffirmé",
    "ont déclaré",
    "ont affirmé",
    "ont indiqué",
    "ont souligné",
    "ont estimé",
    "ont précisé",
    "déclare",
    "affirme",
    "ajoute",
    "souligne",
    "précise",
    "explique",
    "indique",
    "estime",
    "assure",
    "avertit",
    "insiste",
    "martèle",
    "rappelle",
    "lance",
    "répond",
    "juge",
    "annonce",
    "confie",
    "reconnaît",
    "note",
    "poursuit",
    "écrit",
    "prévient",
    "dénonce",
    "déclaré",
    "dit",
    "affirmé",
    "ajouté",
    "souligné",
    "précisé",
    "expliqué",
    "indiqué",
    "estimé",
    "assuré",
    "averti",
    "insisté",
    "martelé",
    "rappelé",
    "lancé",
    "répondu",
    "jugé",
    "annoncé",
    "confié",
    "reconnu",
    "noté",
    "poursuivi",
    "prévenu",
    "dénoncé",
    "réaffirmé",
    "déclarait",
    "affirmait",
    "ajoutait",
    "selon",
    "d'après",
    "d’après",
];
pub(crate) const NAMING_VERBS: &[&str] = &["qualifié", "a qualifié", "qualifie", "baptisé", "surnommé", "dit", "soi-disant"];
/// "selon M. Peskov", "d'après le ministre": the speaker follows.
pub(crate) const SPEAKER_FOLLOWS: &[&str] = &["selon", "d'après", "d’après"];
pub(crate) const TELL_FORMS: &[&str] = &[];
pub(crate) const PLURAL_PRONOUNS: &[&str] = &["ils", "elles", "nous"];
pub(crate) const NEUTER_PRONOUNS: &[&str] = &[];
pub(crate) const SUBORDINATORS: &[&str] = &["après", "quand", "lorsque", "alors", "bien", "si", "comme", "avant"];
pub(crate) const SPEECH_OPENING_CONJUNCTIONS: &[&str] = &["et", "mais", "ou", "donc", "puis"];
pub(crate) const COORDINATORS: &[&str] = &["et", "mais", "ou", "puis"];
/// Words that mark a sentence as reported speech by their mood alone: none in
/// this language (its reported speech needs a verb of saying).
pub(crate) const REPORTED_SPEECH_MARKERS: &[&str] = &[];
