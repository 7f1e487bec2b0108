//! The LanguageTool HTTP API (v2), as far as its clients use it: `POST /v2/check` (form-encoded or JSON, `text` or
//! annotated `data`, rule and category selection) and `GET /v2/languages`. Offsets and lengths count UTF-16 code
//! units, as LanguageTool's (Java) do; for annotated `data` they index the concatenation of every `text` and
//! `markup`, while the rules read `text` and `interpretAs`.
//!
//! mtlint's MQM categories become LanguageTool categories and ITS 2.0 issue types (see [`lt_category`]), so
//! clients colour findings as they would LanguageTool's.

use super::engine::{Input, RuleFilter, Selection, selector};
use super::{ApiError, Shared, blocking, is_json, read_body};
use crate::check::text::split_sentences;
use crate::document::{InputFormat, ReadOptions};
use crate::lsp::text::utf16_len;
use crate::rules::Rule;
use axum::Json;
use axum::body::Body;
use axum::extract::RawQuery;
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::{Value, json};
use std::ops::Range;

/// The languages mtlint checks: English, under the codes clients send.
const LANGUAGES: &[(&str, &str)] = &[
    ("English", "en"),
    ("English (US)", "en-US"),
    ("English (GB)", "en-GB"),
    ("English (Australian)", "en-AU"),
    ("English (Canadian)", "en-CA"),
    ("English (New Zealand)", "en-NZ"),
    ("English (South African)", "en-ZA"),
];

/// `GET /v2/languages`.
pub async fn languages() -> Json<Value> {
    Json(Value::Array(
        LANGUAGES.iter().map(|(name, code)| json!({ "name": name, "code": "en", "longCode": code })).collect(),
    ))
}

/// `POST /v2/check`: parameters in a form-encoded body (what LanguageTool documents), or a JSON object.
pub async fn check_post(state: Shared, headers: HeaderMap, body: Body) -> Result<Json<Value>, ApiError> {
    let bytes = read_body(&headers, body, state.max_body).await?;
    let params = if is_json(&headers) { Params::from_json(&bytes)? } else { Params::from_form(&bytes)? };
    answer(state, params).await
}

/// `GET /v2/check?text=…&language=…`, which LanguageTool also accepts.
pub async fn check_get(state: Shared, RawQuery(query): RawQuery) -> Result<Json<Value>, ApiError> {
    let query = query.unwrap_or_default();
    if query.len() > state.max_body {
        return Err(ApiError::bad_request("the query string is larger than the request body limit"));
    }
    answer(state, Params::from_form(query.as_bytes())?).await
}

/// The parameters of a check.
#[derive(Default)]
struct Params {
    text: Option<String>,
    data: Option<String>,
    language: Option<String>,
    enabled_rules: Vec<String>,
    disabled_rules: Vec<String>,
    enabled_categories: Vec<String>,
    disabled_categories: Vec<String>,
    enabled_only: bool,
}

impl Params {
    fn from_form(bytes: &[u8]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
            .map_err(|e| ApiError::bad_request(format!("the form-encoded body is malformed: {e}")))?;
        let mut params = Params::default();
        for (key, value) in pairs {
            params.set(&key, value)?;
        }
        Ok(params)
    }

    fn from_json(bytes: &[u8]) -> Result<Params, ApiError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
        let Value::Object(fields) = value else {
            return Err(ApiError::bad_request("the JSON body must be an object of parameters"));
        };
        let mut params = Params::default();
        for (key, value) in fields {
            let value = match value {
                Value::String(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Null => continue,
                // A list of rule ids may be given as an array; `data` as the annotation object itself.
                Value::Array(items) if key != "data" => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| ApiError::bad_request(format!("`{key}`: expected a list of strings")))?
                    .join(","),
                other if key == "data" => other.to_string(),
                other => return Err(ApiError::bad_request(format!("`{key}`: expected a string, found {other}"))),
            };
            params.set(&key, value)?;
        }
        Ok(params)
    }

    fn set(&mut self, key: &str, value: String) -> Result<(), ApiError> {
        let list = |v: &str| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        match key {
            "text" => self.text = Some(value),
            "data" => self.data = Some(value),
            "language" => self.language = Some(value),
            "enabledRules" => self.enabled_rules = list(&value),
            "disabledRules" => self.disabled_rules = list(&value),
            "enabledCategories" => self.enabled_categories = list(&value),
            "disabledCategories" => self.disabled_categories = list(&value),
            "enabledOnly" => {
                self.enabled_only = match value.trim() {
                    "true" | "yes" | "1" => true,
                    "false" | "no" | "0" | "" => false,
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "`enabledOnly`: expected true or false, found `{other}`"
                        )));
                    }
                }
            }
            // Parameters for LanguageTool's own features (motherTongue, preferredVariants, level, username, apiKey,
            // …) change nothing here.
            _ => {}
        }
        Ok(())
    }

    fn selection(&self) -> Result<Selection, ApiError> {
        if self.enabled_only && self.enabled_rules.is_empty() && self.enabled_categories.is_empty() {
            return Err(ApiError::bad_request("`enabledOnly` needs `enabledRules` or `enabledCategories`"));
        }
        let rules = |ids: &[String]| -> Result<Vec<RuleFilter>, ApiError> {
            ids.iter()
                .map(|id| {
                    let s = selector(id).map_err(ApiError::bad_request)?;
                    Ok(Box::new(move |r: &Rule| s.matches(r)) as RuleFilter)
                })
                .collect()
        };
        let categories = |ids: &[String]| -> Vec<RuleFilter> {
            ids.iter()
                .map(|id| {
                    let id = id.clone();
                    // A LanguageTool category id (TERMINOLOGY) or an MQM category prefix (Accuracy/Omission).
                    Box::new(move |r: &Rule| {
                        lt_category(&r.category).id.eq_ignore_ascii_case(&id) || r.category.starts_with(id.as_str())
                    }) as RuleFilter
                })
                .collect()
        };
        let mut enable = rules(&self.enabled_rules)?;
        enable.extend(categories(&self.enabled_categories));
        let mut disable = rules(&self.disabled_rules)?;
        disable.extend(categories(&self.disabled_categories));
        Ok(Selection { enable, disable, only: self.enabled_only })
    }
}

/// The language a request names, as (name, code); an error for any language but English.
fn language(requested: Option<&str>) -> Result<(&'static str, String), ApiError> {
    let Some(requested) = requested.map(str::trim) else {
        return Err(ApiError::bad_request("missing the `language` parameter (en, en-US, en-GB, … or auto)"));
    };
    if requested.eq_ignore_ascii_case("auto") {
        return Ok(("English (US)", "en-US".to_string()));
    }
    if let Some((name, code)) = LANGUAGES.iter().find(|(_, code)| code.eq_ignore_ascii_case(requested)) {
        return Ok((name, code.to_string()));
    }
    if requested.len() > 3 && requested.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("en-")) {
        return Ok(("English", requested.to_string()));
    }
    Err(ApiError::bad_request(format!(
        "mtlint checks English text; `{requested}` is not supported (use en, en-US, en-GB, … or auto)"
    )))
}

/// LanguageTool's annotated text: `{"annotation": [{"text": …} | {"markup": …, "interpretAs": …}]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotated {
    annotation: Vec<Annotation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotation {
    text: Option<String>,
    markup: Option<String>,
    #[serde(rename = "interpretAs")]
    interpret_as: Option<String>,
}

/// The text the rules read, the text the client's offsets index, and how one maps onto the other.
struct Texts {
    /// Every `text`, and every markup's `interpretAs`.
    plain: String,
    /// Every `text` and every `markup`: what the client holds.
    original: String,
    /// (range in `plain`, range in `original`, whether it is `text`), in order.
    pieces: Vec<(Range<usize>, Range<usize>, bool)>,
}

impl Texts {
    fn plain(text: String) -> Texts {
        let pieces = vec![(0..text.len(), 0..text.len(), true)];
        Texts { original: text.clone(), plain: text, pieces }
    }

    fn annotated(data: &str) -> Result<Texts, ApiError> {
        let annotated: Annotated = serde_json::from_str(data).map_err(|e| {
            ApiError::bad_request(format!(
                "`data` is not annotated text ({{\"annotation\": [{{\"text\": …}} or {{\"markup\": …}}]}}): {e}"
            ))
        })?;
        let mut texts = Texts { plain: String::new(), original: String::new(), pieces: Vec::new() };
        for (n, a) in annotated.annotation.into_iter().enumerate() {
            let (plain, original, is_text) = match (a.text, a.markup) {
                (Some(text), None) if a.interpret_as.is_none() => (text.clone(), text, true),
                (None, Some(markup)) => (a.interpret_as.unwrap_or_default(), markup, false),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "`data`: annotation {n} must have either `text`, or `markup` (with an optional `interpretAs`)"
                    )));
                }
            };
            let p = texts.plain.len()..texts.plain.len() + plain.len();
            let o = texts.original.len()..texts.original.len() + original.len();
            texts.plain.push_str(&plain);
            texts.original.push_str(&original);
            texts.pieces.push((p, o, is_text));
        }
        Ok(texts)
    }

    /// The offset in `original` of an offset in `plain`: exact inside `text`; inside what markup is interpreted as,
    /// the markup's start (for a span's start) or end (for its end).
    fn to_original(&self, offset: usize, is_end: bool) -> usize {
        let piece = if is_end {
            let i = self.pieces.partition_point(|(p, _, _)| p.start < offset);
            i.checked_sub(1).and_then(|i| self.pieces.get(i))
        } else {
            let i = self.pieces.partition_point(|(p, _, _)| p.end <= offset);
            self.pieces.get(i)
        };
        match piece {
            Some((p, o, true)) => o.start + offset.saturating_sub(p.start).min(o.len()),
            Some((_, o, false)) => {
                if is_end {
                    o.end
                } else {
                    o.start
                }
            }
            None if is_end => 0,
            None => self.original.len(),
        }
    }
}

/// Byte offsets into a text → UTF-16 code units, counted from the previous offset (findings come in order, so the
/// whole text is walked about once).
struct Utf16<'a> {
    text: &'a str,
    byte: usize,
    units: usize,
}

impl<'a> Utf16<'a> {
    fn new(text: &'a str) -> Self {
        Utf16 { text, byte: 0, units: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        let byte = (0..=byte.min(self.text.len())).rev().find(|&b| self.text.is_char_boundary(b)).unwrap_or(0);
        if byte < self.byte {
            self.units -= utf16_len(self.text.get(byte..self.byte).unwrap_or(""));
        } else {
            self.units += utf16_len(self.text.get(self.byte..byte).unwrap_or(""));
        }
        self.byte = byte;
        self.units
    }
}

/// A LanguageTool category and ITS 2.0 issue type for an MQM category.
pub struct LtCategory {
    pub id: &'static str,
    pub name: &'static str,
    pub issue_type: &'static str,
}

/// How mtlint's MQM categories appear to LanguageTool clients. LanguageTool's own category ids are used where one
/// means the same (GRAMMAR, TYPOS, PUNCTUATION, STYLE, REDUNDANCY); terminology and accuracy, which LanguageTool does
/// not check, get categories of their own; the issue type is the ITS 2.0 one MQM's category corresponds to.
pub fn lt_category(mqm: &str) -> LtCategory {
    let (id, name, issue_type) = match mqm {
        c if c.starts_with("Terminology") => ("TERMINOLOGY", "Terminology", "terminology"),
        c if c.starts_with("Accuracy/Addition") => ("REDUNDANCY", "Redundancy", "addition"),
        c if c.starts_with("Accuracy/Omission") => ("ACCURACY", "Accuracy", "omission"),
        c if c.starts_with("Accuracy/Untranslated") => ("ACCURACY", "Accuracy", "untranslated"),
        c if c.starts_with("Accuracy/Mistranslation") => ("ACCURACY", "Accuracy", "mistranslation"),
        c if c.starts_with("Accuracy") => ("ACCURACY", "Accuracy", "other"),
        c if c.starts_with("Fluency/Spelling") => ("TYPOS", "Possible Typo", "misspelling"),
        c if c.starts_with("Fluency/Grammar") => ("GRAMMAR", "Grammar", "grammar"),
        c if c.starts_with("Fluency/Punctuation") => ("PUNCTUATION", "Punctuation", "typographical"),
        c if c.starts_with("Style") => ("STYLE", "Style", "style"),
        _ => ("MISC", "Miscellaneous", "uncategorized"),
    };
    LtCategory { id, name, issue_type }
}

async fn answer(state: Shared, params: Params) -> Result<Json<Value>, ApiError> {
    let (language_name, language_code) = language(params.language.as_deref())?;
    let selection = params.selection()?;
    let texts = match (params.text, params.data) {
        (Some(text), None) => Texts::plain(text),
        (None, Some(data)) => Texts::annotated(&data)?,
        (Some(_), Some(_)) => return Err(ApiError::bad_request("give either `text` or `data`, not both")),
        (None, None) => return Err(ApiError::bad_request("missing the `text` or `data` parameter")),
    };
    let shared = state.0.clone();
    let matches = blocking(move || {
        let settings = shared.engine.settings(&selection);
        let input = Input {
            name: "text".to_string(),
            text: texts.plain.clone(),
            source: None,
            format: InputFormat::Text,
            options: ReadOptions::default(),
        };
        let checked = input.check(&settings);
        let records = input.records(&checked.findings, &settings, &checked.score);
        let sentences = split_sentences(&texts.plain);
        let (mut starts, mut ends) = (Utf16::new(&texts.original), Utf16::new(&texts.original));
        checked
            .findings
            .iter()
            .zip(&records)
            .map(|(f, r)| {
                let rule = settings.rules.rule(f.rule);
                let category = lt_category(&rule.category);
                let offset = starts.at(texts.to_original(f.start, false));
                let end = ends.at(texts.to_original(f.end, true)).max(offset);
                let sentence = sentences
                    .get(sentences.partition_point(|s| s.end <= f.start))
                    .and_then(|s| texts.plain.get(s.clone()))
                    .unwrap_or("")
                    .trim();
                let (before, after) = (if r.clipped.0 { "..." } else { "" }, if r.clipped.1 { "..." } else { "" });
                let span = r.context.get(r.context_span.clone()).unwrap_or("");
                let context_offset = before.len() + utf16_len(r.context.get(..r.context_span.start).unwrap_or(""));
                json!({
                    "message": f.message,
                    "shortMessage": rule.category.rsplit('/').next().unwrap_or(&rule.category),
                    "replacements": f.suggestions.iter().map(|s| json!({ "value": s })).collect::<Vec<_>>(),
                    "offset": offset,
                    "length": end - offset,
                    "context": {
                        "text": format!("{before}{}{after}", r.context),
                        "offset": context_offset,
                        "length": utf16_len(span),
                    },
                    "sentence": sentence,
                    "type": { "typeName": "Other" },
                    "rule": {
                        "id": rule.id,
                        "description": r.rule_summary,
                        "issueType": category.issue_type,
                        "category": { "id": category.id, "name": category.name },
                    },
                    "ignoreForIncompleteSentence": false,
                    "contextForSureMatch": 0,
                })
            })
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(json!({
        "software": {
            "name": "mtlint",
            "version": env!("CARGO_PKG_VERSION"),
            "buildDate": Value::Null,
            "apiVersion": 1,
            "premium": false,
            "status": "",
        },
        "warnings": { "incompleteResults": false },
        "language": {
            "name": language_name,
            "code": language_code,
            "detectedLanguage": { "name": language_name, "code": language_code, "confidence": 1.0, "source": "request" },
        },
        "matches": matches,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotated_offsets_index_text_and_markup() {
        let data = r#"{"annotation":[{"text":"A "},{"markup":"<b>"},{"text":"the the"},{"markup":"<br/>","interpretAs":"\n\n"},{"text":"end"}]}"#;
        let texts = Texts::annotated(data).expect("valid annotated text");
        assert_eq!(texts.plain, "A the the\n\nend");
        assert_eq!(texts.original, "A <b>the the<br/>end");
        // "the the" starts after the markup in the original, and ends where it ends there.
        assert_eq!(texts.to_original(2, false), 5);
        assert_eq!(texts.to_original(9, true), 12);
        // Inside what markup is interpreted as: the markup's bounds.
        assert_eq!(texts.to_original(10, false), 12);
        assert_eq!(texts.to_original(10, true), 17);
    }

    #[test]
    fn annotation_with_text_and_markup_is_refused() {
        let bad = r#"{"annotation":[{"text":"a","markup":"<b>"}]}"#;
        assert!(Texts::annotated(bad).is_err());
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "中文😀 x";
        let mut u = Utf16::new(text);
        assert_eq!(u.at(text.find('x').expect("x is in the text")), 5);
        assert_eq!(u.at(3), 1);
    }

    #[test]
    fn categories_map_to_languagetool_ones() {
        assert_eq!(lt_category("Fluency/Punctuation").id, "PUNCTUATION");
        assert_eq!(lt_category("Terminology").issue_type, "terminology");
        assert_eq!(lt_category("Accuracy/Untranslated").issue_type, "untranslated");
        assert_eq!(lt_category("Something/Else").id, "MISC");
    }
}
