//! Reading the reviewer's answers: single key presses on a terminal (raw mode, restored as soon as the key is read),
//! or lines when standard input is not a terminal (answers piped in, one per line).

use std::io::{self, BufRead, Write};

/// What the reviewer answered to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Key(char),
    /// Ctrl-C on the terminal.
    Interrupt,
    /// The terminal was closed, or the piped answers ran out.
    End,
}

/// What the reviewer typed as a replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Text(String),
    /// The edit was abandoned (Ctrl-C or Ctrl-D in the line editor): ask again.
    Cancel,
    End,
}

/// Where answers come from.
pub trait Prompter {
    /// Shows `prompt` and reads one answer.
    fn key(&mut self, out: &mut dyn Write, prompt: &str) -> Answer;
    /// Shows `prompt` and reads a line of text, starting from `initial` where the terminal allows editing it.
    fn line(&mut self, out: &mut dyn Write, prompt: &str, initial: &str) -> Typed;
    /// Whether the reviewer can edit `initial` in place (else the text is typed anew).
    fn edits_in_place(&self) -> bool;
}

/// Answers read line by line from a reader (standard input when it is not a terminal): a line holding one character
/// is that key; a replacement is the whole next line.
pub struct Lines<R> {
    reader: R,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines { reader }
    }

    fn read(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                let trimmed = line.strip_suffix('\n').unwrap_or(&line);
                Some(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
            }
        }
    }
}

impl<R: BufRead> Prompter for Lines<R> {
    fn key(&mut self, out: &mut dyn Write, prompt: &str) -> Answer {
        let _ = write!(out, "{prompt}");
        let _ = out.flush();
        let Some(line) = self.read() else {
            let _ = writeln!(out);
            return Answer::End;
        };
        let answer = line.trim();
        let _ = writeln!(out, "{answer}");
        let mut chars = answer.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Answer::Key(c),
            // An empty line or a word is not a key: the question is asked again.
            _ => Answer::Key('\0'),
        }
    }

    fn line(&mut self, out: &mut dyn Write, prompt: &str, _initial: &str) -> Typed {
        let _ = write!(out, "{prompt}");
        let _ = out.flush();
        match self.read() {
            Some(text) => {
                let _ = writeln!(out, "{text}");
                Typed::Text(text)
            }
            None => {
                let _ = writeln!(out);
                Typed::End
            }
        }
    }

    fn edits_in_place(&self) -> bool {
        false
    }
}

/// Answers from the terminal: one key press each (raw mode only while waiting for it), and a line editor with the
/// suggestion already typed for `e`.
pub struct Keys {
    editor: Option<rustyline::DefaultEditor>,
}

impl Keys {
    pub fn new() -> Self {
        Keys { editor: rustyline::DefaultEditor::new().ok() }
    }
}

impl Default for Keys {
    fn default() -> Self {
        Keys::new()
    }
}

/// Raw mode for as long as it lives: dropped (restoring the terminal) on every path out, a panic included.
struct Raw;

impl Raw {
    fn enable() -> io::Result<Raw> {
        crossterm::terminal::enable_raw_mode()?;
        Ok(Raw)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Restores the terminal if raw mode is on (from the interrupt handler).
pub fn restore() {
    let _ = crossterm::terminal::disable_raw_mode();
}

fn read_key() -> Answer {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    let Ok(_raw) = Raw::enable() else {
        return Answer::End;
    };
    loop {
        match event::read() {
            Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                let control = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Char('c') | KeyCode::Char('d') if control => return Answer::Interrupt,
                    KeyCode::Char(c) if !control => return Answer::Key(c),
                    _ => {}
                }
            }
            Ok(_) => {}
            Err(_) => return Answer::End,
        }
    }
}

impl Prompter for Keys {
    fn key(&mut self, out: &mut dyn Write, prompt: &str) -> Answer {
        let _ = write!(out, "{prompt}");
        let _ = out.flush();
        let answer = read_key();
        // Raw mode is off again here: the key is echoed on its own line.
        match &answer {
            Answer::Key(c) if !c.is_control() => {
                let _ = writeln!(out, "{c}");
            }
            _ => {
                let _ = writeln!(out);
            }
        }
        let _ = out.flush();
        answer
    }

    fn line(&mut self, out: &mut dyn Write, prompt: &str, initial: &str) -> Typed {
        let _ = out.flush();
        let Some(editor) = self.editor.as_mut() else {
            // No line editor on this terminal: read a plain line.
            let _ = write!(out, "{prompt}");
            let _ = out.flush();
            let mut line = String::new();
            return match io::stdin().lock().read_line(&mut line) {
                Ok(0) | Err(_) => Typed::End,
                Ok(_) => Typed::Text(line.trim_end_matches(['\n', '\r']).to_string()),
            };
        };
        match editor.readline_with_initial(prompt, (initial, "")) {
            Ok(text) => Typed::Text(text),
            Err(rustyline::error::ReadlineError::Interrupted | rustyline::error::ReadlineError::Eof) => Typed::Cancel,
            Err(_) => Typed::End,
        }
    }

    fn edits_in_place(&self) -> bool {
        self.editor.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_lines_are_keys_and_replacements() {
        let mut input = Lines::new(io::Cursor::new("y\n\nyes\ne\r\nnew text\n"));
        let mut out = Vec::new();
        assert_eq!(input.key(&mut out, "? "), Answer::Key('y'));
        assert_eq!(input.key(&mut out, "? "), Answer::Key('\0'));
        assert_eq!(input.key(&mut out, "? "), Answer::Key('\0'));
        assert_eq!(input.key(&mut out, "? "), Answer::Key('e'));
        assert_eq!(input.line(&mut out, "> ", "old"), Typed::Text("new text".into()));
        assert_eq!(input.key(&mut out, "? "), Answer::End);
    }
}
