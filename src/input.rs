//! Finding the inputs of a run: files named on the command line, folders walked recursively (honouring
//! `.gitignore`), and standard input.

use crate::check::text::MAX_TEXT_LEN;
use crate::document::{DecodeError, Document, looks_binary};
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// File endings checked when walking a folder. A file named explicitly is checked whatever its ending.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "htm", "html", "xhtml", "xlf", "xliff", "po", "pot", "tmx", "tsv", "csv", "jsonl",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// A problem with one input. Other inputs are still checked.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Expands the command-line paths into sources, in a stable order: each path in the order given, a folder's files
/// sorted by path. `-` is standard input. Each source says whether it was named explicitly (not found by walking).
pub fn collect(paths: &[PathBuf]) -> (Vec<(Source, bool)>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push((Source::Stdin, true));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(InputError { path: path.display().to_string(), message: io_message(&e) }),
            Ok(meta) if meta.is_dir() => walk(path, &mut sources, &mut errors),
            Ok(_) => sources.push((Source::File(path.clone()), true)),
        }
    }
    (sources, errors)
}

/// Walks a folder on several threads (honouring `.gitignore`), then sorts what it found by path, so the order does
/// not depend on the threads.
fn walk(dir: &Path, sources: &mut Vec<(Source, bool)>, errors: &mut Vec<InputError>) {
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    ignore::WalkBuilder::new(dir).require_git(false).build_parallel().run(|| {
        Box::new(|entry| {
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            match entry {
                Ok(entry) => {
                    let p = entry.path();
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let text_like = p
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                    if is_file && text_like {
                        found.0.push(p.to_path_buf());
                    }
                }
                Err(e) => found.1.push(InputError { path: dir.display().to_string(), message: e.to_string() }),
            }
            ignore::WalkState::Continue
        })
    });
    let (mut files, mut problems) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort();
    // "./docs/a.md" is reported as "docs/a.md", as CI annotations and baselines expect repository-relative paths.
    let tidy = |p: PathBuf| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p);
    sources.extend(files.into_iter().map(|p| (Source::File(tidy(p)), false)));
    errors.append(&mut problems);
}

/// The outcome of reading one source.
pub enum Loaded {
    Document(Document),
    /// A binary file: skipped, not an error.
    Binary,
    Failed(InputError),
}

/// Reads and decodes a source: UTF-8 or UTF-16 by default, or the named legacy encoding.
pub fn read(source: &Source, encoding: Option<&'static encoding_rs::Encoding>) -> Loaded {
    read_limited(source, encoding, 0)
}

/// Like [`read`], refusing a source of more than `max_size` bytes (0: no limit) before reading it.
pub fn read_limited(source: &Source, encoding: Option<&'static encoding_rs::Encoding>, max_size: u64) -> Loaded {
    let name = source.display();
    let limit = if max_size == 0 { u64::MAX } else { max_size };
    let over_limit = |size: Option<u64>| {
        let size = size.map(|n| format!("the file has {n} bytes, ")).unwrap_or_default();
        Loaded::Failed(InputError {
            path: name.clone(),
            message: format!("not checked: {size}more than --max-file-size ({})", show_size(max_size)),
        })
    };
    let bytes = match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            match std::io::stdin().take(limit.saturating_add(1)).read_to_end(&mut buf) {
                Ok(n) if n as u64 > limit => return over_limit(None),
                Ok(_) => buf,
                Err(e) => return Loaded::Failed(InputError { path: name, message: io_message(&e) }),
            }
        }
        Source::File(p) => {
            let opened = std::fs::File::open(p).and_then(|f| f.metadata().map(|m| (f, m.len())));
            let (file, size) = match opened {
                Ok(found) => found,
                Err(e) => return Loaded::Failed(InputError { path: name, message: io_message(&e) }),
            };
            if size > limit {
                return over_limit(Some(size));
            }
            // The file may grow while it is read: no more than the limit is read either way.
            let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            match file.take(limit.saturating_add(1)).read_to_end(&mut buf) {
                Ok(n) if n as u64 > limit => return over_limit(None),
                Ok(_) => buf,
                Err(e) => return Loaded::Failed(InputError { path: name, message: io_message(&e) }),
            }
        }
    };
    // Word offsets are 32-bit (`check::text::Word`); a legacy encoding may grow the text, so the decoded size is
    // checked again below.
    if bytes.len() > MAX_TEXT_LEN {
        return Loaded::Failed(too_large(name));
    }
    if encoding.is_none_or(|e| e == encoding_rs::UTF_8) && looks_binary(&bytes) {
        return Loaded::Binary;
    }
    let decoded = match encoding {
        Some(legacy) => Document::from_bytes_as(name.clone(), &bytes, legacy),
        None => Document::from_bytes(name.clone(), &bytes),
    };
    match decoded {
        Ok(doc) if doc.text.len() > MAX_TEXT_LEN => Loaded::Failed(too_large(name)),
        Ok(doc) => Loaded::Document(doc),
        Err(DecodeError { offset, line, message }) => {
            Loaded::Failed(InputError { path: name, message: format!("line {line}, byte offset {offset}: {message}") })
        }
    }
}

fn too_large(path: String) -> InputError {
    InputError { path, message: "too large: mtlint checks documents of less than 4 GiB; split the file".to_string() }
}

/// A size for people: whole KiB, MiB or GiB when it is one, else bytes.
fn show_size(bytes: u64) -> String {
    match bytes {
        0 => "no limit".to_string(),
        n if n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
