//! Quotation extraction, attribution and kinds, written as annotated snippets
//! (see `tests/fixture/mod.rs` for the marker language).

mod fixture;

use fixture::check_quotes;

#[test]
fn direct_quote_with_cue_after() {
    check_quotes(
        r#"
“We want peace,” Lavrov said.
^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=cue
"#,
    );
}

#[test]
fn inverted_cue_and_appositive_speaker() {
    check_quotes(
        r#"
“We want peace,” said Sergey Lavrov.
^^^^^^^^^^^^^^^^ quote speaker="Sergey Lavrov" via=cue

“He will win,” Flynn, a top Trump surrogate, said on Monday.
^^^^^^^^^^^^^^ quote speaker=Flynn via=cue
"#,
    );
}

#[test]
fn unattributed_quote_is_flagged() {
    check_quotes(
        r#"
“Nobody is said to have spoken this sentence at all.”
^ warning: unattributed-quote
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote
"#,
    );
}

#[test]
#[should_panic(expected = "quotes differ from the markers")]
fn fixture_fails_on_a_quote_without_marker() {
    check_quotes(
        r#"
“We want peace,” Lavrov said.
"#,
    );
}

#[test]
fn fixture_cursor_is_stripped() {
    let fixture = fixture::parse("Lav$0rov said “yes.”\n              ^^^^^^ quote\n");
    assert_eq!(fixture.text, "Lavrov said “yes.”");
    assert_eq!(fixture.cursor, Some(3));
    assert_eq!(fixture.markers[0].range.slice(&fixture.text), "“yes.”");
}

#[test]
fn pronoun_speaker_resolves_to_the_last_named_speaker() {
    check_quotes(
        r#"
Lavrov said on Friday that Moscow was ready for talks. He added: “We will not wait forever.”
                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=pronoun
"#,
    );
}

#[test]
fn quote_over_several_paragraphs_reopens_each_and_closes_once() {
    check_quotes(
        r#"
Lavrov said: “We will not accept the expansion of the alliance.
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=cue

“We will answer it with measures of our own.”
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=same-utterance
"#,
    );
}

#[test]
fn quote_interrupted_by_its_attribution_is_one_utterance() {
    check_quotes(
        r#"
“We want peace,” Lavrov said, “but not at any price.”
^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=cue
                              ^^^^^^^^^^^^^^^^^^^^^^^ quote kind=direct speaker=Lavrov
"#,
    );
}

#[test]
fn single_quotes_nested_in_double_quotes_stay_inside() {
    check_quotes(
        r#"
“He told me ‘never again’ and left,” Peskov said.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Peskov
"#,
    );
}

#[test]
fn quote_paragraph_inherits_the_speaker_of_the_previous_paragraph() {
    check_quotes(
        r#"
Lavrov spoke to reporters on Friday and said Moscow was ready.

“We are ready for talks, but the West must listen.”
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Lavrov via=previous-paragraph
"#,
    );
}

#[test]
fn quote_paragraph_continues_the_quote_before_it() {
    check_quotes(
        r#"
“We will not accept this,” Peskov told reporters.
^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Peskov via=cue

“The answer will come soon.”
^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Peskov via=previous-quote
"#,
    );
}

#[test]
fn scare_quotes_and_titles_have_no_speaker_and_no_warning() {
    check_quotes(
        r#"
Officials fear that a so-called “red line” could be crossed.
                                ^^^^^^^^^^ quote kind=scare

Blinken appeared on “Good Morning America” on Monday and said little.
                    ^^^^^^^^^^^^^^^^^^^^^^ quote kind=scare
"#,
    );
}

#[test]
fn partial_quote_inside_reported_speech() {
    check_quotes(
        r#"
Lavrov warned that NATO would affect the “fundamental interests” of Russian security.
                                         ^^^^^^^^^^^^^^^^^^^^^^^ quote kind=partial speaker=Lavrov via=cue
"#,
    );
}

#[test]
fn unclosed_quote_runs_to_the_end_of_its_paragraph() {
    check_quotes(
        r#"
Peskov said: “We will respond in kind to any provocation.
             ^ warning: unclosed-quote
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ quote speaker=Peskov unclosed

The talks resume on Monday.
"#,
    );
}
