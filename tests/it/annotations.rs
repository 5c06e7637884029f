//! Annotations against real article text: suggestions that round-trip through
//! the sidecar format, re-anchoring after the article changed on disk, and
//! manual decisions overriding the rules.

use std::collections::HashMap;
use std::path::PathBuf;

use marginalia::analysis::{analyze, analyze_annotated};
use marginalia::annotations::{
    Anchor, Annotation, AnnotationKind, Status, anchor_all, parse_annotation_file, serialize_annotations, validate_annotations,
};
use marginalia::ide::annotate::{ActionContext, Annotator, apply_annotation_ops, suggested_annotations};
use marginalia::workspace::Corpus;

fn corpus() -> Corpus {
    Corpus::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"), &HashMap::new())
}

fn seed(name: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/articles").join(name)).unwrap()
}

fn suggested(corpus: &Corpus, text: &str) -> Vec<Annotation> {
    let analysis = analyze(text, &corpus.kb, &corpus.analysis_config);
    let who = Annotator { name: "alice".into(), curator: false };
    let cx = ActionContext::new(text, &analysis, &corpus.kb, &corpus.config.labels.entity, &[], &who, "2026-11-23T00:00:00Z");
    suggested_annotations(&cx)
}

#[test]
fn suggestions_round_trip_through_the_sidecar_and_validate_cleanly() {
    let corpus = corpus();
    let text = seed("004_a2fe9243e21dc331.txt");
    let annotations = suggested(&corpus, &text);
    let file = parse_annotation_file(&serialize_annotations(&annotations));
    assert!(file.diagnostics.is_empty());
    assert_eq!(file.annotations.len(), annotations.len());
    let anchored = anchor_all(&text, &file.annotations);
    assert!(anchored.iter().all(|a| a.anchor == Anchor::InPlace));
    assert_eq!(validate_annotations(&anchored, &corpus.kb, &corpus.config.labels.entity), []);
}

#[test]
fn after_an_outside_edit_annotations_move_change_or_are_orphaned_never_lost() {
    let corpus = corpus();
    let old = seed("003_06a289d246a3710c.txt");
    let annotations = suggested(&corpus, &old);
    let deleted = "Lavrov said Moscow was also concerned about US intermediate-range missiles appearing in Europe.";
    assert!(old.contains(deleted));
    let new = format!(
        "Editor's note: this story was updated.\n\n{}",
        old.replace("categorically unacceptable", "absolutely unacceptable").replace(deleted, "")
    );
    let anchored = anchor_all(&new, &annotations);
    assert_eq!(anchored.len(), annotations.len(), "nothing is dropped");
    let count = |anchor| anchored.iter().filter(|a| a.anchor == anchor).count();
    assert!(count(Anchor::Moved) > 20, "most annotations are found again by their text");
    let fuzzy: Vec<&str> = anchored.iter().filter(|a| a.anchor == Anchor::Fuzzy).map(|a| a.range.unwrap().slice(&new)).collect();
    assert!(fuzzy.iter().any(|t| t.contains("absolutely unacceptable")), "the edited quote is re-anchored approximately: {fuzzy:?}");
    for a in anchored.iter().filter(|a| a.anchor != Anchor::Orphaned) {
        let found = a.range.unwrap().slice(&new);
        assert!(a.anchor == Anchor::Fuzzy || found == a.annotation.exact, "{found:?} vs {:?}", a.annotation.exact);
    }
    let problems = validate_annotations(&anchored, &corpus.kb, &corpus.config.labels.entity);
    let orphaned = problems
        .iter()
        .filter(|p| p.code.as_str() == "orphaned-annotation" && p.severity == marginalia::diagnostic::Severity::Warning)
        .count();
    assert_eq!(orphaned, count(Anchor::Orphaned));
    assert!(orphaned >= 1, "the deleted sentence's mentions are orphaned and reported");
}

#[test]
fn an_accepted_annotation_overrides_the_rules() {
    let corpus = corpus();
    let text = "The talks ended.\n\n“Nobody is said to have spoken this at all.”\n";
    let plain = analyze(text, &corpus.kb, &corpus.analysis_config);
    assert!(plain.diagnostics.iter().any(|d| d.code.as_str() == "unattributed-quote"));
    let quote = plain.quotes[0].range;
    let chars = |b: usize| text[..b].chars().count();
    let annotation = Annotation {
        id: "q1".into(),
        kind: AnnotationKind::Quote,
        label: "ANONYMOUS".into(),
        start: chars(quote.start),
        end: chars(quote.end),
        exact: quote.slice(text).into(),
        prefix: String::new(),
        suffix: String::new(),
        entity: None,
        speaker: None,
        annotator: "alice".into(),
        created: "2026-11-23T00:00:00Z".into(),
        status: Status::Accepted,
        extra: Default::default(),
    };
    let decided = analyze_annotated(text, &corpus.kb, &corpus.analysis_config, &anchor_all(text, &[annotation]));
    assert!(decided.diagnostics.iter().all(|d| d.code.as_str() != "unattributed-quote"), "{:?}", decided.diagnostics);
}

#[test]
fn annotators_change_only_their_own_annotations_unless_curators() {
    use marginalia::ide::annotate::AnnotationOp;
    let corpus = corpus();
    let text = seed("001_9c85c5a5ec5c4165.txt");
    let mut annotations = suggested(&corpus, &text);
    let id = annotations[0].id.clone();
    let alice = Annotator { name: "alice".into(), curator: false };
    let bob = Annotator { name: "bob".into(), curator: false };
    let carol = Annotator { name: "carol".into(), curator: true };
    apply_annotation_ops(
        &mut annotations,
        &[AnnotationOp::SetStatus { id: id.clone(), status: Status::Accepted, annotator: None }],
        &alice,
    )
    .unwrap();
    assert_eq!(annotations[0].annotator, "alice", "reviewing marginalia's suggestion makes it alice's");
    assert_eq!(annotations[0].extra["suggested_by"], "marginalia");
    let refused = apply_annotation_ops(&mut annotations, &[AnnotationOp::Remove { id: id.clone(), annotator: None }], &bob);
    assert!(refused.unwrap_err().contains("only a curator"));
    apply_annotation_ops(&mut annotations, &[AnnotationOp::Remove { id: id.clone(), annotator: None }], &carol).unwrap();
    assert!(annotations.iter().all(|a| a.id != id));
}

fn actions_on(
    corpus: &Corpus,
    text: &str,
    annotations: &[Annotation],
    who: &Annotator,
    at: &str,
) -> Vec<marginalia::ide::annotate::AnnotationAction> {
    let analysis = analyze(text, &corpus.kb, &corpus.analysis_config);
    let anchored = anchor_all(text, annotations);
    let cx = ActionContext::new(text, &analysis, &corpus.kb, &corpus.config.labels.entity, &anchored, who, "2026-11-23T00:00:00Z");
    let offset = text.find(at).unwrap();
    marginalia::ide::annotate::annotation_actions(&cx, marginalia::text::TextRange::empty(offset))
}

fn run(corpus: &Corpus, text: &str, annotations: &mut Vec<Annotation>, who: &Annotator, at: &str, title: &str) {
    let actions = actions_on(corpus, text, annotations, who, at);
    let action = actions
        .iter()
        .find(|a| a.title.starts_with(title))
        .unwrap_or_else(|| panic!("{title}: {:?}", actions.iter().map(|a| &a.title).collect::<Vec<_>>()));
    apply_annotation_ops(annotations, &action.ops, who).unwrap();
}

#[test]
fn regression_link_on_a_labelled_span_updates_it_instead_of_adding_a_second() {
    let corpus = corpus();
    let text = "Sergey Lavrov spoke in Moscow.";
    let alice = Annotator { name: "alice".into(), curator: false };
    let mut annotations = Vec::new();
    run(&corpus, text, &mut annotations, &alice, "Lavrov", "Label as PERSON");
    run(&corpus, text, &mut annotations, &alice, "Lavrov", "Link to Sergey Lavrov");
    assert_eq!(annotations.len(), 1, "{annotations:#?}");
    assert_eq!((annotations[0].label.as_str(), annotations[0].entity.as_deref()), ("PERSON", Some("sergey-lavrov")));
    run(&corpus, text, &mut annotations, &alice, "Lavrov", "Label as ORG");
    assert_eq!(annotations.len(), 1);
    assert_eq!(
        (annotations[0].label.as_str(), annotations[0].entity.as_deref()),
        ("ORG", Some("sergey-lavrov")),
        "relabelling keeps the link"
    );
}

#[test]
fn regression_suggestions_skip_spans_already_annotated() {
    let corpus = corpus();
    let text = "Sergey Lavrov spoke in Moscow.";
    let alice = Annotator { name: "alice".into(), curator: false };
    let mut annotations = Vec::new();
    run(&corpus, text, &mut annotations, &alice, "Lavrov", "Link to Sergey Lavrov");
    run(&corpus, text, &mut annotations, &alice, "Moscow", "Suggest ");
    let on_lavrov = annotations.iter().filter(|a| a.exact == "Sergey Lavrov").count();
    assert_eq!(on_lavrov, 1, "{annotations:#?}");
    assert!(annotations.iter().any(|a| a.exact == "Moscow" && a.status == Status::Suggested));
}

/// Issue 14, case 2: removing an id two records share deleted both (the other
/// annotator's too) after checking permission on the first only, and a status
/// change touched only the first. Now each op means one record.
#[test]
fn an_id_shared_by_two_annotators_records_is_changed_one_record_at_a_time() {
    use marginalia::ide::annotate::AnnotationOp;
    let corpus = corpus();
    let text = seed("001_9c85c5a5ec5c4165.txt");
    let mut first = suggested(&corpus, &text).remove(0);
    first.annotator = "alice".into();
    first.status = Status::Accepted;
    let mut second = first.clone();
    second.annotator = "bob".into();
    let alice = Annotator { name: "alice".into(), curator: false };
    let id = first.id.clone();

    // Without saying whose: refused, nothing changed.
    let mut annotations = vec![first.clone(), second.clone()];
    for op in [
        AnnotationOp::Remove { id: id.clone(), annotator: None },
        AnnotationOp::SetStatus { id: id.clone(), status: Status::Rejected, annotator: None },
    ] {
        let refused = apply_annotation_ops(&mut annotations, &[op], &alice).unwrap_err();
        assert!(refused.contains("is used by 2 records"), "{refused}");
        assert_eq!(annotations, vec![first.clone(), second.clone()]);
    }
    // Alice's own record, named: only hers goes; bob's stays.
    apply_annotation_ops(&mut annotations, &[AnnotationOp::remove(&first)], &alice).unwrap();
    assert_eq!(annotations, vec![second.clone()]);
    // Bob's is not hers to change.
    let refused = apply_annotation_ops(&mut annotations, &[AnnotationOp::set_status(&second, Status::Rejected)], &alice).unwrap_err();
    assert!(refused.contains("only a curator"), "{refused}");
    assert_eq!(annotations, vec![second]);
}

/// Issue 14, case 6 (in part): an added annotation whose id is taken was
/// dropped while the command reported success.
#[test]
fn adding_an_annotation_under_a_taken_id_is_refused() {
    use marginalia::ide::annotate::AnnotationOp;
    let corpus = corpus();
    let text = seed("001_9c85c5a5ec5c4165.txt");
    let all = suggested(&corpus, &text);
    let mut annotations = vec![all[0].clone()];
    let mut colliding = all[1].clone();
    colliding.id = all[0].id.clone();
    let alice = Annotator { name: "alice".into(), curator: false };
    let refused = apply_annotation_ops(&mut annotations, &[AnnotationOp::Add { annotation: Box::new(colliding) }], &alice).unwrap_err();
    assert!(refused.contains("already used"), "{refused}");
    assert_eq!(annotations, vec![all[0].clone()]);
    // The same record again is no collision: applying an action twice is harmless.
    apply_annotation_ops(&mut annotations, &[AnnotationOp::Add { annotation: Box::new(all[0].clone()) }], &alice).unwrap();
    assert_eq!(annotations.len(), 1);
}

/// Issue 17, item 9: on a suggested annotation, "Accept suggestion" came sixth
/// in the menu; reviewing it comes first now, and is the preferred action.
#[test]
fn accepting_a_suggestion_is_the_first_and_preferred_action_on_it() {
    let corpus = corpus();
    let text = seed("001_9c85c5a5ec5c4165.txt");
    let annotations = suggested(&corpus, &text);
    let on = &annotations[0];
    let at: String = text.chars().skip(on.start).take(on.end - on.start).collect();
    let alice = Annotator { name: "alice".into(), curator: false };
    let actions = actions_on(&corpus, &text, &annotations, &alice, &at);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert!(titles[0].starts_with("Accept suggestion") && titles[1].starts_with("Reject suggestion"), "{titles:?}");
    assert_eq!(actions.iter().filter(|a| a.preferred).map(|a| a.title.as_str()).collect::<Vec<_>>(), vec![titles[0]]);
}

/// Issue 17, item 3: "Label as PERSON" needed a visual selection on any name
/// the knowledge base lacks; without one, the word at the cursor is labelled.
#[test]
fn labelling_without_a_selection_takes_the_word_at_the_cursor() {
    let corpus = corpus();
    let text = "date 2022-01-27\n\nThe summit opened in Vienna, where Mr Zhukovsky spoke.\n";
    let alice = Annotator { name: "alice".into(), curator: false };
    let mut annotations = Vec::new();
    run(&corpus, text, &mut annotations, &alice, "ukovsky", "Label as PERSON");
    run(&corpus, text, &mut annotations, &alice, "mmit", "Label as ORG");
    let labelled: Vec<(&str, &str)> = annotations.iter().map(|a| (a.exact.as_str(), a.label.as_str())).collect();
    assert_eq!(labelled, vec![("Zhukovsky", "PERSON"), ("summit", "ORG")]);
}
