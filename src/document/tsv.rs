//! Reader for tsv files (being written).

use super::layout::{Escape, Layout, LayoutBuilder};

pub fn read(text: &str, options: &super::ReadOptions) -> Layout {
    let _ = options;
    let mut b = LayoutBuilder::new(Escape::None);
    b.problem(0, format!("the tsv reader is not written yet ({} bytes not read)", text.len()), true);
    b.finish()
}

/// Comma-separated values (being written).
pub fn read_csv(text: &str, options: &super::ReadOptions) -> Layout {
    read(text, options)
}
