//! mtlint's own JSON API: `POST /api/check` answers the findings exactly as `mtlint check --format json` writes
//! them (the same objects, in a `findings` array) with the quality score; `POST /api/fix` answers the text with
//! every safe fix applied and the unified diff, as `mtlint fix` and `--diff` would.
//!
//! Request: `{"text": …, "source": …, "format": "text"|"markdown"|…, "name": …, "columns": "source,target",
//! "enable": [selector…], "disable": [selector…]}`; only `text` is required. `name` is a label shown in findings
//! (and picks the format when none is given); it is never opened.

use super::engine::{Checked, Input, RuleFilter, Selection, selector};
use super::{ApiError, Shared, blocking, read_body};
use crate::document::{InputFormat, ReadOptions};
use crate::report::diff::unified;
use crate::report::json::JsonFinding;
use crate::rules::Rule;
use crate::score::Score;
use axum::Json;
use axum::body::Body;
use axum::http::HeaderMap;
use clap::ValueEnum;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    text: String,
    source: Option<String>,
    format: Option<String>,
    name: Option<String>,
    columns: Option<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
}

/// A request read into what the engine needs.
struct Parsed {
    input: Input,
    selection: Selection,
}

async fn parse(state: &Shared, headers: &HeaderMap, body: Body) -> Result<Parsed, ApiError> {
    let bytes = read_body(headers, body, state.max_body).await?;
    let request: Request = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not a valid check request: {e}")))?;
    let name = request.name.unwrap_or_else(|| "text".to_string());
    let format = match &request.format {
        Some(f) => InputFormat::from_str(f, true).map_err(|_| {
            let known: Vec<String> = InputFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
                .collect();
            ApiError::bad_request(format!("`format`: unknown format `{f}` (one of {})", known.join(", ")))
        })?,
        None => InputFormat::from_path(Path::new(&name)),
    };
    if request.source.is_some() && format != InputFormat::Text {
        return Err(ApiError::bad_request(
            "`source` goes with plain text only; bilingual formats (xliff, po, tmx, tsv, csv, jsonl) carry their own",
        ));
    }
    let columns = match request.columns.as_deref().map(|c| c.split_once(',')) {
        None => None,
        Some(Some((s, t))) if !s.trim().is_empty() && !t.trim().is_empty() => {
            Some((s.trim().to_string(), t.trim().to_string()))
        }
        Some(_) => return Err(ApiError::bad_request("`columns`: expected SOURCE,TARGET")),
    };
    let filters = |list: &[String]| -> Result<Vec<RuleFilter>, ApiError> {
        list.iter()
            .map(|s| {
                let s = selector(s).map_err(ApiError::bad_request)?;
                Ok(Box::new(move |r: &Rule| s.matches(r)) as RuleFilter)
            })
            .collect()
    };
    let selection = Selection { enable: filters(&request.enable)?, disable: filters(&request.disable)?, only: false };
    let input = Input { name, text: request.text, source: request.source, format, options: ReadOptions { columns } };
    Ok(Parsed { input, selection })
}

fn score_json(score: &Score) -> Value {
    json!({ "words": score.words, "penalty": score.penalty, "per_thousand_words": score.per_thousand_words() })
}

/// The findings of the input's text as `--format json` objects, with the score and any problem reading the text.
fn report(input: &Input, checked: &Checked, settings: &crate::config::Settings) -> Value {
    let records = input.records(&checked.findings, settings, &checked.score);
    let findings: Vec<JsonFinding> = records.iter().map(JsonFinding::from).collect();
    json!({
        "findings": findings,
        "score": score_json(&checked.score),
        "problems": checked.problems.iter().map(|p| json!({ "offset": p.offset, "message": p.message, "fatal": p.fatal })).collect::<Vec<_>>(),
    })
}

/// `POST /api/check`.
pub async fn check(state: Shared, headers: HeaderMap, body: Body) -> Result<Json<Value>, ApiError> {
    let Parsed { input, selection } = parse(&state, &headers, body).await?;
    let shared = state.0.clone();
    let answer = blocking(move || {
        let settings = shared.engine.settings(&selection);
        let checked = input.check(&settings);
        report(&input, &checked, &settings)
    })
    .await?;
    Ok(Json(answer))
}

/// `POST /api/fix`: `{"fixed": …, "applied": N, "diff": "--- a/NAME …", "findings": [what is left], "score": …}`.
pub async fn fix(state: Shared, headers: HeaderMap, body: Body) -> Result<Json<Value>, ApiError> {
    let Parsed { input, selection } = parse(&state, &headers, body).await?;
    let shared = state.0.clone();
    let answer = blocking(move || -> Result<Value, ApiError> {
        let settings = shared.engine.settings(&selection);
        let (fixed, applied) = input.fix(&settings).map_err(ApiError::bad_request)?;
        let diff = unified(&input.name, &input.text, &fixed);
        let after = Input { text: fixed, ..input };
        let checked = after.check(&settings);
        let mut answer = report(&after, &checked, &settings);
        if let Value::Object(fields) = &mut answer {
            fields.insert("fixed".into(), Value::String(after.text.clone()));
            fields.insert("applied".into(), json!(applied));
            fields.insert("diff".into(), Value::String(diff));
        }
        Ok(answer)
    })
    .await??;
    Ok(Json(answer))
}
