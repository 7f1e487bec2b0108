//! Reader for tmx files (being written).

use super::layout::{Escape, Layout, LayoutBuilder};

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::None);
    b.problem(0, format!("the tmx reader is not written yet ({} bytes not read)", text.len()), true);
    b.finish()
}
