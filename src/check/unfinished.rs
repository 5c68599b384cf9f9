//! Articles `milbrief new` started that are not finished: a draft that
//! still has the placeholder lead, and a `source` left empty. (A published
//! article with the placeholder is an error of the load stage: `build`
//! refuses it too.)

use std::path::Path;

use super::Problems;
use super::run::{key_position, text_position};
use crate::model::Article;
use crate::scaffold::NEW_LEAD;

/// Warns about what `a` still lacks of a finished article.
pub(super) fn unfinished(root: &Path, a: &Article, p: &mut Problems) {
    if a.draft
        && let Some(at) = text_position(root, &a.source_path, NEW_LEAD)
    {
        p.warn(
            &a.source_path,
            Some(at),
            "placeholder-draft",
            "this draft still has the placeholder lead `milbrief new` wrote: write the lead before publishing".into(),
        );
    }
    if a.source.is_none()
        && let Some(at) = key_position(root, &a.source_path, "source")
    {
        p.warn(
            &a.source_path,
            Some(at),
            "empty-source",
            "`source` is empty: name the outlet the story comes from, or delete the line".into(),
        );
    }
}
