//! German: speech cues in their inflected forms (sagte, erklärte, betonte, so,
//! laut, zufolge, heißt es) and the closed word lists attribution reads a
//! sentence with. German capitalises every noun, so a capitalised word is a
//! name less often than in English; the noun-phrase rules stop at function words.

pub(crate) const PRONOUNS: &[&str] = &["er", "sie", "es", "wir", "ich"];
pub(crate) const RELATIVES: &[&str] = &["der", "die", "das", "welcher", "welche", "welches"];
pub(crate) const SKIPPED_BEFORE_VERB: &[&str] = &[
    "auch",
    "noch",
    "bereits",
    "schon",
    "dann",
    "später",
    "zuvor",
    "außerdem",
    "zudem",
    "jedoch",
    "allerdings",
    "nun",
    "jetzt",
    "heute",
    "gestern",
    "am",
    "hat",
    "habe",
    "hatte",
    "hatten",
    "haben",
    "hätte",
    "mehrfach",
    "erneut",
    "wiederholt",
    "ebenfalls",
    "nochmals",
];
pub(crate) const STOP_WORDS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder", "aber", "sondern", "denn",
    "dass", "daß", "ob", "wenn", "als", "wie", "weil", "da", "zu", "von", "vom", "mit", "nach", "bei", "beim", "aus", "für", "gegen",
    "ohne", "um", "über", "unter", "vor", "zwischen", "in", "im", "an", "am", "auf", "ist", "sind", "war", "waren", "sei", "seien", "wird",
    "werden", "wurde", "wurden", "hat", "haben", "hatte", "es", "sich", "nicht", "auch", "so", "noch", "nur", "schon", "sehr", "man",
    "ihm", "ihn", "ihnen", "uns", "mir", "mich", "sein", "seine", "seiner", "seinem", "seinen", "ihr", "ihre", "ihrer", "ihrem", "ihren",
    "dies", "diese", "dieser", "dieses", "welche", "welcher", "sagte", "sagt", "zur", "zum", "bis", "seit", "durch", "laut", "zufolge",
];
pub(crate) const QUANTIFIERS: &[&str] = &["einige", "viele", "manche", "mehrere", "andere"];
pub(crate) const NO_SUBJECT_OPENERS: &[&str] = &["hier", "dort", "warum", "was", "wie", "wo", "ob", "wenn", "weil"];
pub(crate) const NOUN_PHRASE_LINKS: &[&str] =
    &["des", "der", "von", "vom", "für", "aus", "im", "in", "am", "an", "bei", "zur", "zum", "die", "das", "den", "dem", "ein", "eine"];
pub(crate) const DETERMINERS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "sein", "seine", "ihr", "ihre", "dieser",
    "diese", "dieses",
];
pub(crate) const NOUN_LIKE_CUES: &[&str] = &[];
pub(crate) const INTRODUCERS: &[&str] = &[
    "in",
    "am",
    "an",
    "bei",
    "beim",
    "nach",
    "vor",
    "während",
    "als",
    "wenn",
    "obwohl",
    "trotz",
    "seit",
    "mit",
    "ohne",
    "für",
    "auf",
    "und",
    "aber",
    "doch",
    "jedoch",
    "dann",
    "später",
    "zuvor",
    "zudem",
    "außerdem",
    "dazu",
    "dabei",
    "damit",
    "darauf",
    "daraufhin",
    "deshalb",
    "trotzdem",
    "zunächst",
    "anschließend",
    "gleichzeitig",
    "zum",
    "im",
    "vom",
    "gegenüber",
];
pub(crate) const BE_AUXILIARIES: &[&str] = &[];
/// "so" reports speech only right after a quote („…“, so Schnappauf).
pub(crate) const AFTER_QUOTE_ONLY: &[&str] = &["so"];
pub(crate) const HEADLINE_SMALL_WORDS: &[&str] = &[];
pub(crate) const POSSESSIVE_PRONOUNS: &[&str] = &["sein", "seine", "seiner", "seinem", "seinen", "ihr", "ihre", "ihrer", "ihrem", "ihren"];
pub(crate) const SPEECH_NOUNS: &[&str] = &[
    "äußerung",
    "äußerungen",
    "erklärung",
    "aussage",
    "aussagen",
    "worte",
    "warnung",
    "forderung",
    "kritik",
    "mitteilung",
    "stellungnahme",
    "ankündigung",
    "appell",
];
pub(crate) const WEEKDAYS: &[&str] = &["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"];

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "sagte",
    "sagten",
    "sagt",
    "sagen",
    "gesagt",
    "erklärte",
    "erklärten",
    "erklärt",
    "betonte",
    "betonten",
    "betont",
    "so",
    "laut",
    "zufolge",
    "heißt es",
    "hieß es",
    "meinte",
    "meinten",
    "meint",
    "ergänzte",
    "ergänzt",
    "fügte",
    "warnte",
    "warnten",
    "warnt",
    "kritisierte",
    "kritisierten",
    "kritisiert",
    "forderte",
    "forderten",
    "fordert",
    "teilte",
    "berichtete",
    "berichtet",
    "bestätigte",
    "bestätigt",
    "äußerte",
    "äußert",
    "schrieb",
    "schreibt",
    "erläuterte",
    "unterstrich",
    "bekräftigte",
    "versicherte",
    "kündigte",
    "sprach von",
    "spricht von",
    "zitiert",
    "zitierte",
    "fragte",
    "antwortete",
    "räumte",
    "gab an",
    "stellte klar",
    "behauptete",
    "behauptet",
    "verkündete",
    "mahnte",
    "appellierte",
    "hob hervor",
    "ließ verlauten",
    "twitterte",
    "beklagte",
    "lobte",
    "bekannte",
    "argumentierte",
    "befand",
    "urteilte",
    "resümierte",
    "bilanzierte",
    "kommentierte",
    "entgegnete",
    "erwiderte",
    "rief",
    "verlautete",
    "unterstrichen",
    "gab",
    "begründete",
    "schilderte",
    "zeigte sich",
];
pub(crate) const NAMING_VERBS: &[&str] = &["nannte", "nennt", "bezeichnete", "bezeichnet", "sogenannte", "sogenannten", "so genannte"];
/// "Laut Peskov", "laut dem Minister": the speaker follows.
pub(crate) const SPEAKER_FOLLOWS: &[&str] = &["laut", "nach"];
pub(crate) const TELL_FORMS: &[&str] = &[];
pub(crate) const PLURAL_PRONOUNS: &[&str] = &["wir"];
pub(crate) const NEUTER_PRONOUNS: &[&str] = &["es"];
pub(crate) const SUBORDINATORS: &[&str] = &["als", "wenn", "während", "obwohl", "nachdem", "weil", "da", "bevor", "seit", "sobald"];
pub(crate) const SPEECH_OPENING_CONJUNCTIONS: &[&str] = &["und", "aber", "doch", "oder", "denn", "dann"];
pub(crate) const COORDINATORS: &[&str] = &["und", "aber", "oder", "doch", "jedoch", "zu"];
/// Subjunctive (Konjunktiv I) forms that mark a sentence as reported speech
/// ("Damit seien „der Kurs … nicht mehr so klar“"): its quotes belong to the
/// speaker reported just before.
pub(crate) const REPORTED_SPEECH_MARKERS: &[&str] = &[
    "sei", "seien", "habe", "hätten", "werde", "würden", "könne", "müsse", "solle", "wolle", "gebe", "stehe", "bestehe", "gehe", "komme",
    "liege", "dürfe", "wisse", "brauche",
];
