"""Checks text through `mtlint serve` with language_tool_python, a LanguageTool client this project did not write.

Run by tests/serve_languagetool.rs as `python languagetool_client.py URL`. Every expected value below was worked out by
hand from the text: offsets are what language_tool_python reports after turning the server's UTF-16 offsets into
Python string indices (code points), so a wrong unit on the server shifts every match after an emoji.
"""

import sys

import language_tool_python
from language_tool_python.utils import correct

url = sys.argv[1]
failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: got {got!r}, want {want!r}")


tool = language_tool_python.LanguageTool("en-US", remote_server=url)

# CJK characters and an emoji (a surrogate pair in UTF-16) before the flagged spans.
text = "新闻😀 said the the report at the National New Office."
matches = tool.check(text)
got = [(m.rule_id, m.offset, m.error_length, text[m.offset : m.offset + m.error_length], m.replacements) for m in matches]
expect(
    "matches",
    got,
    [
        ("en.untranslated-cjk", 0, 2, "新闻", []),
        ("en.repeated-word", 9, 7, "the the", ["the"]),
        ("zh-en.gov.scio", 31, 19, "National New Office", ["State Council Information Office"]),
    ],
)
expect("categories", [m.category for m in matches], ["ACCURACY", "GRAMMAR", "TERMINOLOGY"])
expect("issue types", [m.rule_issue_type for m in matches], ["untranslated", "grammar", "terminology"])
expect("corrected", correct(text, matches), "新闻😀 said the report at the State Council Information Office.")

# Emoji both before and inside the line, several matches in one sentence.
text = "🎉🎉 Exports grew.The China News Agency said 🚀 so."
matches = tool.check(text)
got = [(m.rule_id, text[m.offset : m.offset + m.error_length], m.replacements[:1]) for m in matches]
expect(
    "second text",
    got,
    [
        ("en.missing-space-after-punctuation", "grew.The", ["grew. The"]),
        ("zh-en.media.china-news-service", "China News Agency", ["China News Service"]),
    ],
)
expect("second offsets", [m.offset for m in matches], [11, 20])
expect("second corrected", correct(text, matches), "🎉🎉 Exports grew. The China News Service said 🚀 so.")

# Rule selection goes through the client's own settings.
tool.disabled_rules = {"en.repeated-word"}
expect("disabled", [m.rule_id for m in tool.check("They said the the thing.")], [])
tool.close()

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("language_tool_python: all matches as expected")
