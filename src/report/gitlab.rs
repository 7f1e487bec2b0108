//! The `gitlab` format (being written).

use super::{DocumentReport, Reporter, RunSummary};
use std::io::{self, Write};

#[derive(Default)]
pub struct Gitlab {
    documents: Vec<DocumentReport>,
}

impl Reporter for Gitlab {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        self.documents.push(doc.clone());
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        Err(io::Error::other("the gitlab format is not written yet"))
    }
}
