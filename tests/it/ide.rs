//! Editor features over the bundled knowledge base, written as fixtures: an
//! article snippet with `$0` at the cursor, and the answer as a snapshot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use expect_test::{Expect, expect};
use marginalia::analysis::{Analysis, analyze};
use marginalia::ide::{hover, navigation, semantic, symbols};
use marginalia::text::LineIndex;
use marginalia::workspace::{Corpus, MentionIndex};

struct World {
    corpus: Corpus,
    index: MentionIndex,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundled() -> World {
    let corpus = Corpus::load(&repo().join("corpus"), &HashMap::new());
    let index = MentionIndex::build(&corpus.article_paths(), &corpus.kb);
    World { corpus, index }
}

/// Strips the `$0` cursor marker; returns the text and the cursor's byte offset.
fn cursor(fixture: &str) -> (String, usize) {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    (fixture.replacen("$0", "", 1), offset)
}

impl World {
    fn analyze(&self, text: &str) -> Analysis {
        analyze(text, &self.corpus.kb, &self.corpus.analysis_config)
    }

    fn hover(&self, fixture: &str) -> String {
        let (text, offset) = cursor(fixture);
        let analysis = self.analyze(&text);
        let card = hover::hover(&text, &analysis, &self.corpus.kb, Some(&self.index), offset).expect("something to hover");
        format!("[{}]\n{}", card.range.slice(&text), card.markdown)
    }

    /// Hover on the `nth` occurrence of `needle` in a seed article.
    fn hover_seed(&self, seed: &str, needle: &str, nth: usize) -> String {
        let text = std::fs::read_to_string(repo().join("corpus/articles").join(seed)).unwrap();
        let offset = text.match_indices(needle).nth(nth).expect("needle in the seed").0;
        let fixture = format!("{}$0{}", &text[..offset], &text[offset..]);
        self.hover(&fixture)
    }

    fn definition_line(&self, fixture: &str) -> String {
        let (text, offset) = cursor(fixture);
        let (origin, target) = navigation::definition(&self.corpus.kb, &self.analyze(&text), offset).expect("a definition");
        let kb_text = std::fs::read_to_string(&target.path).unwrap();
        let index = LineIndex::new(&kb_text);
        let line = index.position(target.range.start).line;
        let line_text = kb_text.lines().nth(line - 1).unwrap().trim();
        format!("{} -> {}:{line}: {line_text}", origin.slice(&text), relative(&target.path))
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo()).unwrap_or(path).display().to_string()
}

fn check_hover(fixture: &str, expect: Expect) {
    expect.assert_eq(&bundled().hover(fixture));
}

#[test]
fn hover_lavrov_in_seed_000_shows_his_role_on_2021_12_02() {
    expect![[r#"
        [Lavrov]
        **Sergey Lavrov** · person

        Minister of Foreign Affairs of Russia *(on 2021-12-02; since 2004-03-09)*

        Russian diplomat (born 1950) who has been Russia's Minister of Foreign Affairs since March 2004, the longest-serving Russian foreign minister of the post-Soviet era. He was previously Russia's Permanent Representative to the United Nations (1994-2004).

        *Also:* Sergei Lavrov, Sergey Viktorovich Lavrov, Sergei Viktorovich Lavrov, Lavrov, Foreign Minister Lavrov, Foreign Minister Sergey Lavrov, Foreign Minister Sergei Lavrov, Russian Foreign Minister Sergey Lavrov, Russian Foreign Minister Sergei Lavrov, Lawrow, Sergej Lawrow, Lavrof, Sergueï Lavrov, Лавров, Сергей Лавров, Сергій Лавров, the Russian Foreign Minister, Russia's Foreign Minister, Russia's top diplomat, Russian FM

        36 mentions in the corpus

        *Article language:* English (detected)
    "#]]
    .assert_eq(&bundled().hover_seed("000_650f7ada08eebc05.txt", "Lavrov", 0));
}

#[test]
fn hover_blinken_in_seed_004_shows_secretary_of_state_on_2022_01_27() {
    let card = bundled().hover_seed("004_a2fe9243e21dc331.txt", "Blinken", 0);
    assert!(card.starts_with("[US Secretary of State Antony Blinken]\n**Antony Blinken** · person"), "{card}");
    assert!(card.contains("United States Secretary of State *(on 2022-01-27; 2021-01-26 to 2025-01-20)*"), "{card}");
    assert!(!card.contains("Deputy Secretary of State *(on"), "only the role held on the date: {card}");
}

#[test]
fn hover_peskov_and_stoltenberg_in_seed_004_show_roles_on_its_date() {
    let world = bundled();
    let peskov = world.hover_seed("004_a2fe9243e21dc331.txt", "Peskov", 0);
    assert!(peskov.contains("Press Secretary of the President of Russia and Deputy Head of the Presidential Administration *(on 2022-01-27; since 2012-05-22)*"), "{peskov}");
    let stoltenberg = world.hover_seed("004_a2fe9243e21dc331.txt", "Stoltenberg", 0);
    assert!(stoltenberg.contains("Secretary General of NATO *(on 2022-01-27; 2014-10-01 to 2024-10-01)*"), "{stoltenberg}");
    assert!(!stoltenberg.contains("Minister of Finance of Norway *(on"), "{stoltenberg}");
}

#[test]
fn hover_in_an_undated_article_lists_every_role_with_its_span() {
    let card = bundled().hover_seed("002_861de67a3d0b5135.txt", "Peskov", 0);
    assert!(card.contains("*No date header: all roles shown*"), "{card}");
    assert!(card.contains("Press Secretary of the Prime Minister of Russia *(2008-04-25 to 2012-05-07)*"), "{card}");
}

#[test]
fn role_changes_with_the_article_date() {
    let world = bundled();
    let during = world.hover("date 2024-06-01\nThe NATO chief Jens Stolten$0berg spoke.");
    let between = world.hover("date 2024-12-01\nJens Stolten$0berg spoke.");
    let after = world.hover("date 2025-06-01\nJens Stolten$0berg spoke.");
    assert!(during.contains("Secretary General of NATO *(on 2024-06-01; 2014-10-01 to 2024-10-01)*"), "{during}");
    assert!(between.contains("*No recorded role on 2024-12-01*"), "{between}");
    assert!(after.contains("Minister of Finance of Norway *(on 2025-06-01; since 2025-02-04)*"), "{after}");
}

#[test]
fn hover_on_an_agreement_shows_date_parties_and_summary() {
    let card = bundled().hover("date 2022-01-27\nKyiv said there is no alternative to the Minsk peace agree$0ments.");
    assert!(card.starts_with("[Minsk peace agreements]\n**Minsk agreements** · agreement"), "{card}");
    assert!(card.contains("**Date:** 2015-02-12"), "{card}");
    assert!(card.contains("**Parties:**"), "{card}");
}

#[test]
fn hover_on_a_quote_shows_speaker_cue_and_how() {
    check_hover(
        "date 2022-01-27\nSergey Lavrov spoke in Moscow.\n\n“We want$0 peace,” he said.",
        expect![[r#"
            [“We want peace,”]
            **Quote** · direct

            **Speaker:** he → Sergey Lavrov

            **Cue:** said

            *Found by:* speech cue in the sentence (rule `cue-after`)

            *Kind by:* rule `opens-sentence`

            *Article language:* English (default)
        "#]],
    );
}

#[test]
fn article_outside_the_seeds_with_new_spellings_and_aliases() {
    // Written for this test: transliterations, possessives with curly apostrophes,
    // an all-capitals dateline, and agreement aliases absent from the seeds.
    let text = "date 2019-06-03 KIEV – Dmitri Peskov said on Monday that Zelenskyy’s team had \"not yet\" called.\n\n\
                Tony Blinken, then out of office, wrote that the Helsinki Accords and Minsk II still mattered, and that \
                America’s top diplomat would say so. The NATO chief agreed.";
    let world = bundled();
    let analysis = world.analyze(text);
    let found: Vec<String> = analysis.mentions().map(|m| format!("{}={}", m.range.slice(text), m.id)).collect();
    expect![[r#"
        KIEV=kyiv
        Dmitri Peskov=dmitry-peskov
        Zelenskyy=volodymyr-zelensky
        Tony Blinken=antony-blinken
        Helsinki Accords=helsinki-final-act
        Minsk II=minsk-ii
        America’s top diplomat=antony-blinken
        The NATO chief=jens-stoltenberg"#]]
    .assert_eq(&found.join("\n"));
    let card = world.hover(&text.replacen("Dmitri Peskov", "Dmitri Pes$0kov", 1));
    assert!(
        card.contains("Press Secretary of the President of Russia and Deputy Head of the Presidential Administration *(on 2019-06-03"),
        "{card}"
    );
    let card = world.hover(&text.replacen("Tony Blinken", "Tony Blin$0ken", 1));
    assert!(card.contains("*No recorded role on 2019-06-03*"), "out of office between 2017 and 2021: {card}");
}

#[test]
fn surname_alone_refers_back_to_the_full_name() {
    let world = bundled();
    let text = "Olesia Markovic wrote an opinion piece. Markovic said it was hard.";
    let ids: Vec<String> = world.analyze(text).mentions().map(|m| format!("{}={}", m.range.slice(text), m.id)).collect();
    assert_eq!(ids, ["Olesia Markovic=olesia-markovic", "Markovic=olesia-markovic"]);
}

#[test]
fn definition_of_every_agreement_reference_in_the_seeds_lands_on_its_id_line() {
    let world = bundled();
    let mut found = Vec::new();
    for path in world.corpus.article_paths() {
        let text = std::fs::read_to_string(&path).unwrap();
        for mention in world.analyze(&text).agreements {
            let fixture = format!("{}$0{}", &text[..mention.range.start], &text[mention.range.start..]);
            found.push(world.definition_line(&fixture));
        }
    }
    expect![[r#"
        Minsk peace agreements -> corpus/kb/agreements.json:110: "id": "minsk-agreements",
        Helsinki Final Act -> corpus/kb/agreements.json:5: "id": "helsinki-final-act",
        Helsinki principles -> corpus/kb/agreements.json:5: "id": "helsinki-final-act",
        Istanbul Declaration of 1999 -> corpus/kb/agreements.json:45: "id": "istanbul-document-1999",
        Astana Declaration of 2010 -> corpus/kb/agreements.json:79: "id": "astana-commemorative-declaration",
        draft security documents -> corpus/kb/agreements.json:247: "id": "russia-draft-security-treaties-2021",
        proposed security pact -> corpus/kb/agreements.json:247: "id": "russia-draft-security-treaties-2021",
        new European security pact -> corpus/kb/agreements.json:247: "id": "russia-draft-security-treaties-2021",
        new European security pact -> corpus/kb/agreements.json:247: "id": "russia-draft-security-treaties-2021",
        Istanbul Declaration of 1999 -> corpus/kb/agreements.json:45: "id": "istanbul-document-1999",
        Astana Declaration of 2010 -> corpus/kb/agreements.json:79: "id": "astana-commemorative-declaration",
        Minsk agreements -> corpus/kb/agreements.json:110: "id": "minsk-agreements","#]]
    .assert_eq(&found.join("\n"));
}

#[test]
fn definition_of_an_entity_lands_on_its_entry() {
    let line = bundled().definition_line("Kremlin spokesman Dmitry Pes$0kov said so.");
    assert!(line.starts_with("Kremlin spokesman Dmitry Peskov -> corpus/kb/entities.json:"), "{line}");
    assert!(line.ends_with("\"id\": \"dmitry-peskov\","), "{line}");
}

#[test]
fn references_from_a_kb_entry_span_the_whole_corpus() {
    let world = bundled();
    let kb_path = repo().join("corpus/kb/agreements.json");
    let kb_text = std::fs::read_to_string(&kb_path).unwrap();
    let at = kb_text.find("\"id\": \"minsk-agreements\"").unwrap();
    let id = navigation::kb_entry_at(&kb_path, &kb_text, at).unwrap();
    assert_eq!(id, "minsk-agreements");
    let refs: Vec<String> = navigation::references(&world.corpus.kb, &world.index, &id, true)
        .iter()
        .map(|(r, _)| {
            let text = std::fs::read_to_string(&r.path).unwrap();
            format!("{}: {}", relative(&r.path), r.range.slice(&text))
        })
        .collect();
    expect![[r#"
        corpus/kb/agreements.json: "minsk-agreements"
        corpus/articles/000_650f7ada08eebc05.txt: Minsk peace agreements
        corpus/articles/004_a2fe9243e21dc331.txt: Minsk agreements"#]]
    .assert_eq(&refs.join("\n"));
}

#[test]
fn highlights_mark_every_mention_of_the_same_entity() {
    let world = bundled();
    let (text, offset) = cursor("Sergey Lavrov arrived. Lav$0rov spoke; Putin listened. Russia's top diplomat left.");
    let ranges: Vec<&str> = navigation::highlights(&world.analyze(&text), offset).iter().map(|r| r.slice(&text)).collect();
    assert_eq!(ranges, ["Sergey Lavrov", "Lavrov", "Russia's top diplomat"]);
}

#[test]
fn workspace_symbols_find_entries_by_name_and_alias() {
    let world = bundled();
    let names: Vec<&str> = symbols::workspace_symbols(&world.corpus.kb, "minsk").iter().map(|e| e.name.as_str()).collect();
    assert!(names.contains(&"Minsk agreements"), "{names:?}");
    let by_alias: Vec<&str> = symbols::workspace_symbols(&world.corpus.kb, "top diplomat").iter().map(|e| e.id.as_str()).collect();
    assert!(by_alias.contains(&"sergey-lavrov") && by_alias.contains(&"antony-blinken"), "{by_alias:?}");
}

#[test]
fn outline_has_header_paragraphs_and_their_quotes() {
    let world = bundled();
    let text = "date 2022-01-27 “We want peace,” Lavrov said.\n\nNATO met.\n";
    let outline = symbols::document_outline(text, &world.analyze(text));
    let rendered: Vec<String> = outline
        .iter()
        .flat_map(|item| {
            std::iter::once(format!("{:?} {}", item.kind, item.name))
                .chain(item.children.iter().map(|c| format!("  {:?} {} ({})", c.kind, c.name, c.detail.clone().unwrap_or_default())))
        })
        .collect();
    expect![[r#"
        Header date 2022-01-27
        Paragraph ¶1 “We want peace,” Lavrov said.
          Quote “We want peace,” (direct — Lavrov)
        Paragraph ¶2 NATO met."#]]
    .assert_eq(&rendered.join("\n"));
}

#[test]
fn semantic_tokens_split_quotes_around_mentions() {
    let world = bundled();
    let text = "“NATO must stop,” Lavrov said in Moscow about the Minsk agreements.";
    let tokens: Vec<String> =
        semantic::semantic_tokens(&world.analyze(text), &[]).iter().map(|t| format!("{:?} {}", t.kind, t.range.slice(text))).collect();
    expect![[r#"
        Quote “
        Organization NATO
        Quote  must stop,”
        Person Lavrov
        Place Moscow
        Agreement Minsk agreements"#]]
    .assert_eq(&tokens.join("\n"));
}

/// Each hint as "the 8 characters before it|its label".
fn rendered_hints(text: &str, hints: &[marginalia::ide::inlay::InlayHint]) -> Vec<String> {
    hints
        .iter()
        .map(|h| format!("{}|{}", &text[..h.offset].chars().rev().take(8).collect::<String>().chars().rev().collect::<String>(), h.label))
        .collect()
}

#[test]
fn inlay_hints_name_the_speaker_after_each_utterance() {
    let world = bundled();
    let text = "date 2022-01-27 “We want peace,” Sergey Lavrov said. “We are ready.”\n\n\
                What he called a “red line” was crossed.\n\n\
                “Nobody said this.”\n";
    let analysis = world.analyze(text);
    let hints =
        marginalia::ide::inlay::quote_speaker_hints(text, &analysis, &world.corpus.kb, marginalia::text::TextRange::new(0, text.len()));
    let rendered = rendered_hints(text, &hints);
    expect![[r#"
         ready.”|— Lavrov
        ed line”|— Lavrov
        d this.”|— Lavrov"#]]
    .assert_eq(&rendered.join("\n"));
}

/// Issue 17: a hint repeated the name standing right after the quote
/// ("— Lavrov Lavrov said"); a pronoun there keeps its hint.
#[test]
fn no_inlay_hint_repeats_the_name_right_after_the_quote() {
    let world = bundled();
    let text = "date 2022-01-27 “We want peace,” Lavrov said.\n\n“We are ready,” said Lavrov.\n\n“We are still ready,” he added.\n";
    let analysis = world.analyze(text);
    let hints =
        marginalia::ide::inlay::quote_speaker_hints(text, &analysis, &world.corpus.kb, marginalia::text::TextRange::new(0, text.len()));
    let rendered = rendered_hints(text, &hints);
    assert_eq!(rendered, vec![" ready,”|— Lavrov".to_string()], "only the pronoun's quote has a hint");
}
