//! Ukrainian: speech cues (заявив, сказав, зазначив, за словами; after a quote
//! and a dash the verb comes first: «…», — заявив Кулеба) and the closed word
//! lists.

pub(crate) const PRONOUNS: &[&str] = &["він", "вона", "вони", "ми", "я"];
pub(crate) const RELATIVES: &[&str] = &["який", "яка", "які"];
pub(crate) const SKIPPED_BEFORE_VERB: &[&str] = &[
    "також",
    "теж",
    "вже",
    "ще",
    "тоді",
    "потім",
    "пізніше",
    "раніше",
    "знову",
    "в",
    "у",
    "на",
    "понеділок",
    "вівторок",
    "середу",
    "четвер",
    "п'ятницю",
    "п’ятницю",
    "суботу",
    "неділю",
    "сьогодні",
    "вчора",
    "цього",
    "тижня",
    "не",
    "однак",
];
pub(crate) const STOP_WORDS: &[&str] = &[
    "і",
    "й",
    "та",
    "а",
    "але",
    "або",
    "що",
    "щоб",
    "як",
    "в",
    "у",
    "на",
    "з",
    "із",
    "зі",
    "до",
    "по",
    "про",
    "від",
    "для",
    "при",
    "за",
    "не",
    "же",
    "б",
    "це",
    "цей",
    "ця",
    "ці",
    "його",
    "її",
    "їх",
    "був",
    "була",
    "були",
    "бути",
    "є",
    "то",
    "так",
    "також",
    "вже",
    "ще",
    "тільки",
    "він",
    "вона",
    "вони",
    "ми",
];
pub(crate) const QUANTIFIERS: &[&str] = &["деякі", "багато"];
pub(crate) const NO_SUBJECT_OPENERS: &[&str] = &["ось", "чому", "як", "де", "якщо"];
pub(crate) const NOUN_PHRASE_LINKS: &[&str] = &[];
pub(crate) const DETERMINERS: &[&str] = &["цей", "ця", "це", "ці"];
pub(crate) const NOUN_LIKE_CUES: &[&str] = &[];
pub(crate) const INTRODUCERS: &[&str] = &["в", "у", "на", "після", "до", "при", "хоча", "однак", "але", "і", "й", "а", "також"];
pub(crate) const BE_AUXILIARIES: &[&str] = &[];
pub(crate) const AFTER_QUOTE_ONLY: &[&str] = &[];
pub(crate) const HEADLINE_SMALL_WORDS: &[&str] = &[];
pub(crate) const POSSESSIVE_PRONOUNS: &[&str] = &["його", "її", "їх"];
pub(crate) const SPEECH_NOUNS: &[&str] = &["заява", "заяві", "словами", "слова", "думку"];
pub(crate) const WEEKDAYS: &[&str] = &["понеділок", "вівторок", "середу", "четвер", "п'ятницю", "п’ятницю", "суботу", "неділю"];

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "заявив",
    "заявила",
    "заявили",
    "заявляє",
    "сказав",
    "сказала",
    "сказали",
    "каже",
    "говорить",
    "говорив",
    "говорила",
    "зазначив",
    "зазначила",
    "зазначили",
    "наголосив",
    "наголосила",
    "наголосили",
    "додав",
    "додала",
    "пояснив",
    "пояснила",
    "повідомив",
    "повідомила",
    "повідомили",
    "підкреслив",
    "підкреслила",
    "вказав",
    "вказала",
    "визнав",
    "визнала",
    "попередив",
    "попередила",
    "запевнив",
    "запевнила",
    "уточнив",
    "уточнила",
    "відповів",
    "відповіла",
    "написав",
    "написала",
    "вважає",
    "вважають",
    "нагадав",
    "нагадала",
    "закликав",
    "закликала",
    "за словами",
    "на думку",
];
pub(crate) const NAMING_VERBS: &[&str] = &["назвав", "назвала", "назвали", "так званий", "так звані", "так званих"];
/// "за словами Кулеби", "на думку міністра": the speaker follows.
pub(crate) const SPEAKER_FOLLOWS: &[&str] = &["за", "на"];
pub(crate) const TELL_FORMS: &[&str] = &[];
pub(crate) const PLURAL_PRONOUNS: &[&str] = &["вони", "ми"];
pub(crate) const NEUTER_PRONOUNS: &[&str] = &[];
pub(crate) const SUBORDINATORS: &[&str] = &["після", "коли", "хоча", "якщо", "поки"];
pub(crate) const SPEECH_OPENING_CONJUNCTIONS: &[&str] = &["і", "але", "а", "та"];
pub(crate) const COORDINATORS: &[&str] = &["і", "та", "але", "а"];
/// Words that mark a sentence as reported speech by their mood alone: none in
/// this language (its reported speech needs a verb of saying).
pub(crate) const REPORTED_SPEECH_MARKERS: &[&str] = &[];
