//! Russian: speech cues (заявил, сказал, отметил, по словам, по мнению; after a
//! quote and a dash the verb comes first: «…», — заявил Лавров) and the closed
//! word lists.

pub(crate) const PRONOUNS: &[&str] = &["он", "она", "они", "мы", "я"];
pub(crate) const RELATIVES: &[&str] = &["который", "которая", "которые"];
pub(crate) const SKIPPED_BEFORE_VERB: &[&str] = &[
    "также",
    "тоже",
    "уже",
    "ещё",
    "еще",
    "тогда",
    "затем",
    "позже",
    "ранее",
    "вновь",
    "снова",
    "в",
    "во",
    "на",
    "понедельник",
    "вторник",
    "среду",
    "четверг",
    "пятницу",
    "субботу",
    "воскресенье",
    "сегодня",
    "вчера",
    "этой",
    "неделе",
    "не",
    "однако",
];
pub(crate) const STOP_WORDS: &[&str] = &[
    "и",
    "а",
    "но",
    "или",
    "что",
    "чтобы",
    "как",
    "в",
    "во",
    "на",
    "с",
    "со",
    "к",
    "ко",
    "по",
    "о",
    "об",
    "от",
    "до",
    "из",
    "за",
    "для",
    "при",
    "у",
    "не",
    "же",
    "ли",
    "бы",
    "это",
    "этот",
    "эта",
    "эти",
    "его",
    "её",
    "ее",
    "их",
    "был",
    "была",
    "были",
    "быть",
    "есть",
    "то",
    "так",
    "также",
    "уже",
    "ещё",
    "еще",
    "только",
    "он",
    "она",
    "они",
    "мы",
];
pub(crate) const QUANTIFIERS: &[&str] = &["некоторые", "многие"];
pub(crate) const NO_SUBJECT_OPENERS: &[&str] = &["вот", "почему", "как", "где", "если"];
pub(crate) const NOUN_PHRASE_LINKS: &[&str] = &[];
pub(crate) const DETERMINERS: &[&str] = &["этот", "эта", "это", "эти"];
pub(crate) const NOUN_LIKE_CUES: &[&str] = &[];
pub(crate) const INTRODUCERS: &[&str] = &["в", "во", "на", "после", "до", "при", "хотя", "однако", "но", "и", "а", "также"];
pub(crate) const BE_AUXILIARIES: &[&str] = &[];
pub(crate) const AFTER_QUOTE_ONLY: &[&str] = &[];
pub(crate) const HEADLINE_SMALL_WORDS: &[&str] = &[];
pub(crate) const POSSESSIVE_PRONOUNS: &[&str] = &["его", "её", "ее", "их"];
pub(crate) const SPEECH_NOUNS: &[&str] = &["заявление", "заявлении", "словам", "слова", "мнению", "высказывание"];
pub(crate) const WEEKDAYS: &[&str] = &["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"];

pub(crate) const SPEECH_VERBS: &[&str] = &[
    "заявил",
    "заявила",
    "заявили",
    "заявляет",
    "заявляют",
    "сказал",
    "сказала",
    "сказали",
    "говорит",
    "говорил",
    "говорила",
    "отметил",
    "отметила",
    "отметили",
    "подчеркнул",
    "подчеркнула",
    "подчеркнули",
    "добавил",
    "добавила",
    "пояснил",
    "пояснила",
    "сообщил",
    "сообщила",
    "сообщили",
    "указал",
    "указала",
    "признал",
    "признала",
    "предупредил",
    "предупредила",
    "заверил",
    "заверила",
    "уточнил",
    "уточнила",
    "ответил",
    "ответила",
    "написал",
    "написала",
    "считает",
    "считают",
    "уверен",
    "уверена",
    "напомнил",
    "напомнила",
    "призвал",
    "призвала",
    "заметил",
    "заметила",
    "констатировал",
    "констатировала",
    "по словам",
    "по мнению",
    "цитирует",
    "передаёт",
    "передает",
];
pub(crate) const NAMING_VERBS: &[&str] = &["назвал", "назвала", "назвали", "так называемый", "так называемые", "так называемых"];
/// "по словам Лаврова": the speaker follows.
pub(crate) const SPEAKER_FOLLOWS: &[&str] = &["по"];
pub(crate) const TELL_FORMS: &[&str] = &[];
pub(crate) const PLURAL_PRONOUNS: &[&str] = &["они", "мы"];
pub(crate) const NEUTER_PRONOUNS: &[&str] = &[];
pub(crate) const SUBORDINATORS: &[&str] = &["после", "когда", "хотя", "если", "пока"];
pub(crate) const SPEECH_OPENING_CONJUNCTIONS: &[&str] = &["и", "но", "а"];
pub(crate) const COORDINATORS: &[&str] = &["и", "но", "а"];
/// Words that mark a sentence as reported speech by their mood alone: none in
/// this language (its reported speech needs a verb of saying).
pub(crate) const REPORTED_SPEECH_MARKERS: &[&str] = &[];
