//! Code actions and annotation writes, as questions to the host: what can be
//! done at a selection of an open file (fixes, a draft KB entry's Accept/Drop,
//! annotation actions with the sidecar edit each makes), and the checked,
//! locked write of annotation operations that the server's
//! `marginalia.applyAnnotationOps` command and the Python package both run.
//! Answers are plain data in byte offsets; the edges only convert them.

use std::path::{Path, PathBuf};

use super::AnalysisHost;
use crate::annotations::{
    Annotator, BYTE_ORDER_MARK, StoreError, minimal_line_edit, parse_annotation_file, serialize_annotations, sidecar_path,
    try_update_annotations,
};
use crate::diagnostic::DiagnosticCode;
use crate::ide::SourceChange;
use crate::ide::annotate::{ActionContext, AnnotationOp, OpCheck, annotation_actions, apply_annotation_ops, check_ops};
use crate::text::TextRange;
use crate::workspace::{Corpus, FileError, FileRole, ensure_inside_corpus, read_text_file};

/// What kind of change a [`Fix`] is (a quick fix of a diagnostic, or a refactoring).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// Repairs what a diagnostic reports.
    QuickFix,
    /// Moves or removes content (a draft KB entry's Accept/Drop).
    Refactor,
}

/// A source change offered at the selection, with the diagnostic it fixes.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// The edits, in byte offsets of each file's current text.
    pub change: SourceChange,
    /// Quick fix or refactoring.
    pub kind: FixKind,
    /// The code of the diagnostic this fixes, if any.
    pub fixes: Option<DiagnosticCode>,
}

/// The sidecar the annotation actions of an article write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidecarState {
    /// Its path (beside the article).
    pub path: PathBuf,
    /// Its text as the editor has it (an open buffer), else as on disk;
    /// `None` when there is no sidecar yet.
    pub text: Option<String>,
    /// Whether an editor has it open.
    pub open: bool,
    /// Whether it is open with text that differs from the file on disk.
    pub unsaved: bool,
}

/// One annotation action at the selection.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationCodeAction {
    /// What the editor shows.
    pub title: String,
    /// The most likely action at the selection.
    pub preferred: bool,
    /// The operations, as the annotation command takes them.
    pub ops: Vec<AnnotationOp>,
    /// The edit of [`SidecarState::text`] that applies the ops (a byte range
    /// replaced with the new lines; the file is created when there is none), or
    /// why the action cannot be applied now.
    pub edit: Result<SidecarEdit, String>,
}

/// Replace `replaced` (bytes of the sidecar's current text) with `inserted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidecarEdit {
    /// The byte range replaced, whole lines.
    pub replaced: TextRange,
    /// The new lines.
    pub inserted: String,
}

/// Every code action at a selection of an open file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeActions {
    /// Fixes and refactorings, as source changes.
    pub fixes: Vec<Fix>,
    /// Annotation actions (articles only).
    pub annotations: Vec<AnnotationCodeAction>,
    /// The sidecar the annotation actions write, when there are any.
    pub sidecar: Option<SidecarState>,
}

/// The outcome of a write of annotation operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationsWritten {
    /// The sidecar written.
    pub sidecar: PathBuf,
    /// How many annotations it holds afterwards.
    pub count: usize,
}

/// Why annotation operations were not written.
#[derive(Debug)]
pub enum AnnotationWriteError {
    /// The file is not an article (annotations go on articles only).
    NotAnArticle(FileRole),
    /// The article cannot be read.
    Article(FileError),
    /// The sidecar would be written outside the corpus (or there is no corpus).
    Outside(String),
    /// An op was refused by the checks; nothing was written.
    Refused(String),
    /// The sidecar cannot be read, is malformed, or cannot be written.
    Store(StoreError),
}

impl std::fmt::Display for AnnotationWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnnotationWriteError::NotAnArticle(role) => {
                write!(f, "a {} file is not an article: annotations go on articles only", role.describe())
            }
            AnnotationWriteError::Article(error) => write!(f, "{error}"),
            AnnotationWriteError::Outside(reason) | AnnotationWriteError::Refused(reason) => f.write_str(reason),
            AnnotationWriteError::Store(error) => write!(f, "{error}"),
        }
    }
}

impl From<StoreError> for AnnotationWriteError {
    fn from(error: StoreError) -> Self {
        AnnotationWriteError::Store(error)
    }
}

/// The RFC 3339 time stamped on new annotations.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl AnalysisHost {
    /// Who writes annotations in the corpus at `root`: the editor's setting,
    /// else the configuration's, else the user's name.
    pub fn annotator(&self, root: Option<&Path>, editor_setting: Option<&str>) -> Annotator {
        let config = root.and_then(|r| self.corpora.get(r)).map(|c| c.config.clone()).unwrap_or_default();
        config.annotator(editor_setting)
    }

    /// The texts of a corpus's KB files as the editor has them (fixes edit them).
    fn kb_files(&mut self, root: &Path) -> Vec<(PathBuf, String)> {
        let Some(corpus) = self.corpora.get(root).cloned() else { return Vec::new() };
        corpus.kb_paths().into_iter().filter_map(|p| Some((p.clone(), self.file_text(&p)?))).collect()
    }

    /// The code actions at `selection` (bytes) of an open file, for the
    /// annotator `editor_annotator` names (else the corpus's): on a draft KB
    /// file, Accept/Drop of its entries; on an article, adding an unknown name
    /// to the KB, fixing misused quotation marks, and the annotation actions
    /// with the sidecar edit each makes. `None` when the file is not open.
    pub fn code_actions(&mut self, path: &Path, selection: TextRange, editor_annotator: Option<&str>) -> Option<CodeActions> {
        let overlay = self.overlays.get(path)?;
        let (role, root, on_disk) = (overlay.role, overlay.corpus_root.clone(), overlay.on_disk);
        if role == FileRole::KnowledgeBase {
            let mut actions = CodeActions::default();
            if let (Some(root), true) = (&root, on_disk) {
                let text = self.overlay_text(path)?;
                let kb_files = self.kb_files(root);
                actions.fixes = crate::ide::kb_suggest::draft_entry_actions(path, &text, selection, &kb_files)
                    .into_iter()
                    .map(|change| Fix { change, kind: FixKind::Refactor, fixes: None })
                    .collect();
            }
            return Some(actions);
        }
        let analysis = self.analysis(path)?;
        if role != FileRole::Article {
            return Some(CodeActions::default());
        }
        let mut actions = CodeActions::default();
        if let Some(root) = &root {
            let kb_files = self.kb_files(root);
            let kb = self.corpora.get(root)?.kb.clone();
            for unknown in analysis.unknown_entities.iter().filter(|u| u.range.overlaps(selection) || u.range.touches(selection.start)) {
                actions.fixes.extend(crate::ide::fixes::add_to_knowledge_base(unknown, &kb, &kb_files).into_iter().map(|change| Fix {
                    change,
                    kind: FixKind::QuickFix,
                    fixes: Some(DiagnosticCode::UnknownEntity),
                }));
            }
        }
        if !on_disk {
            return Some(actions);
        }
        let text = self.overlay_text(path)?;
        actions.fixes.extend(crate::ide::fixes::fix_misused_quote_marks(path, &text, &analysis, selection).into_iter().map(|change| Fix {
            change,
            kind: FixKind::QuickFix,
            fixes: Some(DiagnosticCode::MisusedQuoteMark),
        }));

        let who = self.annotator(root.as_deref(), editor_annotator);
        let now = now();
        let sidecar = sidecar_path(path);
        let current = match self.sidecar_text(&sidecar) {
            Ok(current) => current,
            Err(error) => {
                tracing::error!("{error}");
                return Some(actions);
            }
        };
        let open = self.is_open(&sidecar);
        let unsaved = open && read_text_file(&sidecar).ok() != current;
        let parsed = parse_annotation_file(current.as_deref().unwrap_or(""));
        let (kb, _) = self.kb_and_config(root.as_deref());
        let config = root.as_ref().and_then(|r| self.corpora.get(r)).map(|c| c.config.clone()).unwrap_or_default();
        let cx = ActionContext::new(&text, &analysis, &kb, &config.labels.entity, self.annotations(path), &who, &now);
        actions.annotations = annotation_actions(&cx, selection)
            .into_iter()
            .map(|action| {
                let edit = if parsed.diagnostics.is_empty() {
                    let mut annotations = parsed.annotations.clone();
                    apply_annotation_ops(&mut annotations, &action.ops, &who).map(|()| {
                        let mut new_text = serialize_annotations(&annotations);
                        // A sidecar that starts with a byte-order mark keeps it.
                        if current.as_deref().is_some_and(|c| c.starts_with(BYTE_ORDER_MARK)) {
                            new_text.insert(0, BYTE_ORDER_MARK);
                        }
                        let (replaced, inserted) = minimal_line_edit(current.as_deref().unwrap_or(""), &new_text);
                        SidecarEdit { replaced, inserted }
                    })
                } else {
                    Err(format!("{} has malformed lines; fix them first", sidecar.display()))
                };
                AnnotationCodeAction { title: action.title, preferred: action.preferred, ops: action.ops, edit }
            })
            .collect();
        actions.sidecar = Some(SidecarState { path: sidecar, text: current, open, unsaved });
        Some(actions)
    }

    /// Checks `ops` against the article (as the editor has it, else as on
    /// disk), the corpus's labels and KB and the sidecar's records, then writes
    /// them to the article's sidecar under its lock, merged with the file as
    /// it is now, atomically; an open article then reads its sidecar again.
    /// The first refused op refuses the batch and nothing is written.
    pub fn apply_annotation_ops(
        &mut self,
        path: &Path,
        mut ops: Vec<AnnotationOp>,
        editor_annotator: Option<&str>,
    ) -> Result<AnnotationsWritten, AnnotationWriteError> {
        let root = match self.overlays.get(path) {
            Some(overlay) if overlay.role != FileRole::Article => return Err(AnnotationWriteError::NotAnArticle(overlay.role)),
            Some(overlay) => overlay.corpus_root.clone(),
            // A loaded corpus only: a host built for one corpus writes in no
            // other (found through symlinks or `..` too).
            None => self.root_on_disk(path).or_else(|| {
                let found = std::fs::canonicalize(Corpus::find_root(path)?).ok()?;
                self.corpora.keys().find(|r| std::fs::canonicalize(r).ok().as_ref() == Some(&found)).cloned()
            }),
        };
        if let Some(corpus) = root.as_ref().and_then(|r| self.corpora.get(r)) {
            match corpus.role_of(path) {
                FileRole::Article | FileRole::Other => {}
                role => return Err(AnnotationWriteError::NotAnArticle(role)),
            }
        }
        let text = match self.overlays.get_mut(path) {
            Some(overlay) => overlay.text().to_string(),
            None => read_text_file(path).map_err(AnnotationWriteError::Article)?,
        };
        let sidecar = sidecar_path(path);
        if root.is_none() && !self.is_open(path) && !self.corpora.is_empty() {
            let mut roots: Vec<String> = self.corpora.keys().map(|r| r.display().to_string()).collect();
            roots.sort();
            return Err(AnnotationWriteError::Outside(format!(
                "{}: outside the corpus {}; refusing to write",
                sidecar.display(),
                roots.join(", ")
            )));
        }
        ensure_inside_corpus(&sidecar, root.as_deref()).map_err(AnnotationWriteError::Outside)?;
        let who = self.annotator(root.as_deref(), editor_annotator);
        let (kb, _) = self.kb_and_config(root.as_deref());
        let config = root.as_ref().and_then(|r| self.corpora.get(r)).map(|c| c.config.clone()).unwrap_or_default();
        let (_, written) = try_update_annotations(&sidecar, |annotations| -> Result<(), AnnotationWriteError> {
            let check = OpCheck { text: &text, labels: &config.labels.entity, kb: &kb, existing: annotations, who: &who };
            check_ops(&mut ops, &check).map_err(AnnotationWriteError::Refused)?;
            apply_annotation_ops(annotations, &ops, &who).map_err(AnnotationWriteError::Refused)
        })?;
        if self.is_open(path) {
            self.load_annotations(path);
        }
        Ok(AnnotationsWritten { sidecar, count: written.len() })
    }
}

/// The host answers code actions and writes annotation operations itself: the
/// server and the Python package only convert.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::read_annotations;

    /// A copy of the bundled corpus's configuration and KB with one article,
    /// in a fresh folder (annotation writes change it).
    fn scratch_corpus(name: &str) -> (PathBuf, PathBuf) {
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let root = std::env::temp_dir().join(format!("marginalia-host-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("kb")).unwrap();
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::copy(bundled.join("marginalia.toml"), root.join("marginalia.toml")).unwrap();
        for kb in ["entities.json", "agreements.json"] {
            std::fs::copy(bundled.join("kb").join(kb), root.join("kb").join(kb)).unwrap();
        }
        let article = root.join("articles/004_a2fe9243e21dc331.txt");
        std::fs::copy(bundled.join("articles/004_a2fe9243e21dc331.txt"), &article).unwrap();
        (root, article)
    }

    #[test]
    fn code_actions_and_annotation_writes_are_host_questions() {
        let (root, article) = scratch_corpus("actions");
        let mut host = AnalysisHost::from_corpus(&root).expect("a corpus");
        let text = read_text_file(&article).unwrap();
        let lavrov = text.find("Sergey Lavrov").expect("seed 004 names Lavrov");
        host.open_from_disk(&article).unwrap();
        let actions = host.code_actions(&article, TextRange::empty(lavrov), Some("tester")).expect("an open article");
        let sidecar = actions.sidecar.clone().expect("annotation actions write the sidecar");
        assert_eq!(sidecar, SidecarState { path: sidecar_path(&article), text: None, open: false, unsaved: false });
        let add = actions
            .annotations
            .iter()
            .find(|a| a.ops.iter().any(|op| matches!(op, AnnotationOp::Add { annotation } if annotation.annotator == "tester")))
            .unwrap_or_else(|| panic!("an action that adds the tester's annotation: {:?}", actions.annotations));
        // No sidecar yet: the edit inserts the new line(s) at its start.
        let edit = add.edit.as_ref().expect("applicable");
        assert_eq!(edit.replaced, TextRange::empty(0));
        assert!(edit.inserted.contains("\"annotator\":\"tester\""), "{}", edit.inserted);

        let written = host.apply_annotation_ops(&article, add.ops.clone(), Some("tester")).expect("written");
        assert_eq!(written.sidecar, sidecar_path(&article));
        let on_disk = read_annotations(&written.sidecar).unwrap();
        assert_eq!(on_disk.annotations.len(), written.count);
        assert!(written.count >= 1);
        // The open article read its sidecar again, and the next actions edit it.
        assert_eq!(host.annotations(&article).len(), written.count);
        let again = host.code_actions(&article, TextRange::empty(lavrov), Some("tester")).unwrap();
        assert!(again.sidecar.unwrap().text.is_some());

        // A refused op writes nothing and says why.
        let mut bad = add.ops.clone();
        if let Some(AnnotationOp::Add { annotation }) = bad.iter_mut().find(|op| matches!(op, AnnotationOp::Add { .. })) {
            annotation.id = "another-id".into();
            annotation.label = "NO-SUCH-LABEL".into();
        }
        match host.apply_annotation_ops(&article, bad, Some("tester")) {
            Err(AnnotationWriteError::Refused(reason)) => assert!(reason.contains("unknown label"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(read_annotations(&written.sidecar).unwrap().annotations.len(), written.count);
        // Annotations go on articles only.
        let kb = root.join("kb/entities.json");
        assert!(matches!(
            host.apply_annotation_ops(&kb, Vec::new(), Some("tester")),
            Err(AnnotationWriteError::NotAnArticle(FileRole::KnowledgeBase))
        ));
        // An article of no loaded corpus: refused, nothing written beside it.
        let elsewhere = std::env::temp_dir().join(format!("marginalia-host-elsewhere-{}.txt", std::process::id()));
        std::fs::write(&elsewhere, "Sergey Lavrov spoke.").unwrap();
        match host.apply_annotation_ops(&elsewhere, add.ops.clone(), Some("tester")) {
            Err(AnnotationWriteError::Outside(reason)) => assert!(reason.contains("outside the corpus"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(!sidecar_path(&elsewhere).exists());
        std::fs::remove_file(&elsewhere).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
    }
}
