//! The source-aware checks (`zh-en.source-*`): segments with their Chinese source, checked through the library with
//! the built-in rule set, as a bilingual file's reader hands them over.

use mtlint::check::check_segments;
use mtlint::document::layout::Segment;
use mtlint::finding::Severity;
use mtlint::{RuleSet, RuleSources};
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&RuleSources::default()).expect("the built-in rules are valid"))
}

/// One finding, as the tests look at it.
#[derive(Debug, Clone)]
struct Found {
    rule: String,
    /// Which segment it is in.
    segment: usize,
    matched: String,
    start: usize,
    end: usize,
    message: String,
    suggestion: Option<String>,
}

/// The check text of `pairs` (source, target), segments separated by a blank line as readers do, and its segments.
fn layout(pairs: &[(&str, &str)]) -> (String, Vec<Segment>) {
    let mut text = String::new();
    let mut segments = Vec::new();
    for (i, (source, target)) in pairs.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(target);
        segments.push(Segment { id: Some(i.to_string()), source: Some(source.to_string()), range: start..text.len() });
    }
    (text, segments)
}

/// The findings of the rules whose id starts with `prefix` on the segments `pairs`.
fn check(prefix: &str, pairs: &[(&str, &str)]) -> Vec<Found> {
    let (text, segments) = layout(pairs);
    let rules = rules();
    check_segments(&text, &segments, rules)
        .into_iter()
        .filter(|f| rules.rule(f.rule).id.starts_with(prefix))
        .map(|f| Found {
            rule: rules.rule(f.rule).id.clone(),
            segment: segments.iter().position(|s| s.range.start <= f.start && f.end <= s.range.end).unwrap(),
            matched: f.matched(&text).to_string(),
            start: f.start,
            end: f.end,
            message: f.message.clone(),
            suggestion: f.suggestions.first().cloned(),
        })
        .collect()
}

fn assert_clean(prefix: &str, pairs: &[(&str, &str)]) {
    let found = check(prefix, pairs);
    assert!(found.is_empty(), "expected no {prefix} findings, got {found:#?}");
}

// numbers

#[test]
fn numbers_written_differently_but_equal_are_not_flagged() {
    assert_clean(
        "zh-en.source-numbers",
        &[
            ("该市今年新增就业岗位4400个。", "The city added 4,400 jobs this year."),
            ("展会预计吸引观众2.5万人次。", "The fair is expected to draw 25,000 visitors."),
            ("展会预计吸引观众2.5万人次。", "The fair is expected to draw 25 thousand visitors."),
            ("全省粮食产量达到3亿吨。", "The province harvested 300 million tonnes of grain."),
            ("全省粮食产量达到3亿吨。", "The province harvested 0.3 billion tonnes of grain."),
            ("去年进出口总额达1.2万亿元。", "Imports and exports totalled 1.2 trillion yuan last year."),
            ("出口同比增长百分之十。", "Exports rose 10% year on year."),
            ("出口同比增长百分之十。", "Exports rose 10 percent year on year."),
            ("出口同比增长百分之十。", "Exports rose ten percent year on year."),
            ("出口同比增长10%。", "Exports rose by 10 percentage points."),
            ("这是他第二次访问该国。", "It is his second visit to the country."),
            ("这是他第2次访问该国。", "It is his 2nd visit to the country."),
            ("论坛将于10月20日开幕。", "The forum opens on October 20."),
            ("论坛将于10月20日开幕。", "The forum opens on Oct. 20."),
            ("论坛将于10月20日开幕。", "The forum opens on 20 October."),
            ("2023年10月20日，论坛开幕。", "The forum opened on October 20, 2023."),
            ("活动覆盖一百二十三个社区。", "The campaign covers 123 communities."),
            ("两家企业签署了协议。", "The two companies signed an agreement."),
            ("全市共有两千家便利店。", "The city has 2,000 convenience stores."),
            ("二〇二三年，该厂扩建完成。", "The plant's expansion was completed in 2023."),
            ("该项目投资一千零五万元。", "The project cost 10.05 million yuan."),
            ("上世纪80年代，他在工厂工作。", "In the 1980s, he worked in a factory."),
            ("发布会于15时举行。", "The press conference was held at 3 p.m."),
            ("约5成受访者表示满意。", "About 50% of those polled said they were satisfied."),
            ("每副价格约一万六七千元。", "Each set costs about 16,000 to 17,000 yuan."),
            ("三分之一的受访者表示支持。", "One third of those polled were in favour."),
            ("百人代表团抵达澳门。", "A 100-member delegation arrived in Macao."),
        ],
    );
}

#[test]
fn identifiers_urls_and_list_numbers_are_not_required() {
    assert_clean(
        "zh-en.source-numbers",
        &[
            ("1. 请勿点击不明链接。", "Do not click on unknown links."),
            ("G20峰会讨论了5G网络建设。", "The summit discussed the building of next-generation networks."),
            ("详情见官网。", "See https://example.org/2023/notice-118.html for details."),
            (
                "十四五期间，该省将建设更多公园。",
                "During the 14th Five-Year Plan period, the province will build more parks.",
            ),
            ("一些企业表示统一标准很有必要。", "Some companies said a single standard was needed."),
        ],
    );
}

#[test]
fn a_changed_number_is_reported_on_the_target_number_with_both_values() {
    let found =
        check("zh-en.source-numbers", &[("该市今年新增就业岗位4400个。", "The city added 4,000 jobs this year.")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].matched, "4,000");
    assert!(found[0].message.contains("source has 4,400 (4400), target has 4,000"), "{}", found[0].message);
    assert_eq!(found[0].suggestion.as_deref(), Some("4,400"));
}

#[test]
fn a_wrong_magnitude_is_reported_with_the_scale_word() {
    let found = check(
        "zh-en.source-numbers",
        &[("全省粮食产量达到3亿吨。", "The province harvested 3 billion tonnes of grain.")],
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].matched, "3 billion");
    assert!(found[0].message.contains("source has 300 million (3亿), target has 3 billion"), "{}", found[0].message);
    assert_eq!(found[0].suggestion.as_deref(), Some("300 million"));
}

#[test]
fn a_missing_number_is_reported_on_the_whole_target() {
    let target = "  The forum will open in Hangzhou next week.";
    let found = check("zh-en.source-numbers", &[("论坛将于10月20日在杭州开幕。", target)]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].matched, target.trim(), "from the first non-space character to the end");
    assert!(found[0].message.contains("source has 10 and 20, target does not"), "{}", found[0].message);
    assert_eq!(found[0].suggestion, None);
}

#[test]
fn a_missing_number_is_a_warning_and_a_changed_one_an_error() {
    let pairs = [
        ("论坛将于10月20日在杭州开幕。", "The forum will open in Hangzhou."),
        ("该市新增岗位4400个。", "The city added 4,000 jobs."),
    ];
    let (text, segments) = layout(&pairs);
    let rules = rules();
    let severities: Vec<Severity> = check_segments(&text, &segments, rules)
        .into_iter()
        .filter(|f| rules.rule(f.rule).id == "zh-en.source-numbers")
        .map(|f| f.severity)
        .collect();
    assert_eq!(severities, [Severity::Warning, Severity::Error]);
}

#[test]
fn a_number_the_source_does_not_have_is_reported() {
    let found = check("zh-en.source-numbers", &[("该市新建了多所学校。", "The city built 12 new schools.")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].matched, "12");
    assert!(found[0].message.contains("target has 12, which the source does not have"), "{}", found[0].message);
}

#[test]
fn a_chinese_percentage_left_out_is_reported() {
    let found = check("zh-en.source-numbers", &[("出口同比增长百分之十二。", "Exports rose year on year.")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("source has 12 (百分之十二)"), "{}", found[0].message);
}

// glossary

#[test]
fn a_source_term_without_its_official_english_is_reported() {
    let found = check(
        "zh-en.source-glossary",
        &[("国家统计局今天发布了最新数据。", "The statistics office released new data today.")],
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    // "statistics", the head of "Bureau of Statistics", shows where the term went.
    assert_eq!(found[0].matched, "statistics");
    assert!(found[0].message.contains("国家统计局"), "{}", found[0].message);
    assert!(found[0].message.contains("\"National Bureau of Statistics\""), "{}", found[0].message);
    assert_eq!(found[0].suggestion, None);
}

#[test]
fn a_missing_term_is_reported_on_its_likely_rendering() {
    // Words shared with the official form (its head noun among them) point to where the term went.
    let found = check(
        "zh-en.source-glossary",
        &[
            ("北交所发布了新的交易规则。", "The Capital Stock Exchange's board issued new trading rules."),
            // No shared word: the one acronym that neither the source nor the official form has.
            ("北交所发布了新的交易规则。", "The NCX issued new trading rules on Friday."),
            // A name of another term of the source is not this term's rendering.
            (
                "证监会表示，融资融券业务将扩容。",
                "The China Securities Regulatory Commission said the lending business will grow.",
            ),
        ],
    );
    let got: Vec<(usize, &str)> = found.iter().map(|f| (f.segment, f.matched.as_str())).collect();
    assert_eq!(got, [(0, "Stock Exchange"), (1, "NCX"), (2, "lending")], "{found:#?}");
    assert!(found[1].message.contains("\"Beijing Stock Exchange\""), "{}", found[1].message);
}

#[test]
fn a_missing_term_without_a_likely_rendering_is_a_warning_on_the_segment() {
    let pairs = [
        ("北交所发布了新的交易规则。", "New trading rules were issued on Friday."),
        // A dateline in capitals is not an acronym, a modifier alone ("stocks") is not the term.
        ("北交所发布了新的交易规则。", "HANOI - Rules for listed stocks were issued on Friday."),
    ];
    let (text, segments) = layout(&pairs);
    let rules = rules();
    let found: Vec<_> = check_segments(&text, &segments, rules)
        .into_iter()
        .filter(|f| rules.rule(f.rule).id == "zh-en.source-glossary")
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    for (f, s) in found.iter().zip(&segments) {
        assert_eq!((f.start, f.end), (s.range.start, s.range.end), "the whole segment");
        assert_eq!(f.severity, Severity::Warning);
    }
}

#[test]
fn possessives_of_official_forms_satisfy_the_glossary() {
    assert_clean(
        "zh-en.source-glossary",
        &[("北交所发布了新的交易规则。", "The Beijing Stock Exchange's new trading rules were issued on Friday.")],
    );
}

#[test]
fn a_dental_implant_calque_is_caught_with_the_source() {
    let found = check("zh-en.source-glossary", &[("种植牙价格下降。", "The price of tooth implants has come down.")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].matched, "implants");
    let term =
        check("zh-en.health.dental-implant", &[("种植牙价格下降。", "The price of planting teeth has come down.")]);
    assert_eq!(term.len(), 1, "{term:#?}");
    assert_clean("zh-en.source-glossary", &[("种植牙价格下降。", "The price of dental implants has come down.")]);
}

#[test]
fn official_forms_and_their_variants_satisfy_the_glossary() {
    assert_clean(
        "zh-en.source-glossary",
        &[
            ("国家统计局今天发布了最新数据。", "The National Bureau of Statistics released new data today."),
            ("国家统计局今天发布了最新数据。", "the national bureau of statistics released new data today."),
            ("国家统计局今天发布了最新数据。", "The NBS released new data today."),
            ("据中新社报道，该项目已开工。", "Work on the project has begun, China News Service reported."),
            ("一带一路合作项目不断增加。", "Belt and Road cooperation projects keep growing."),
            // 国务院 inside 国务院总理 is that longer title: "Premier" alone will do, without "State Council".
            ("国务院总理出席了开幕式。", "The Premier attended the opening ceremony."),
        ],
    );
}

#[test]
fn a_wrong_rendering_is_left_to_the_term_rule() {
    let pairs = [("据中新社报道，该项目已开工。", "Work on the project has begun, China News Agency reported.")];
    assert!(check("zh-en.source-glossary", &pairs).is_empty());
    let term = check("zh-en.media.china-news-service", &pairs);
    assert_eq!(term.len(), 1, "the term rule reports it: {term:#?}");
}

// untranslated

#[test]
fn untranslated_targets_are_reported() {
    let source = "会议审议通过了年度工作报告。";
    let pairs = [(source, source), (source, "The meeting 审议通过了年度工作报告。"), (source, "")];
    let found = check("zh-en.source-untranslated", &pairs);
    let got: Vec<(usize, &str)> = found.iter().map(|f| (f.segment, f.matched.as_str())).collect();
    assert_eq!(got, [(0, source), (1, "The meeting 审议通过了年度工作报告。"), (2, "")], "{found:#?}");
    assert!(found[0].message.contains("the source text, untranslated"), "{}", found[0].message);
    assert!(found[1].message.contains("% of the target's letters are Chinese"), "{}", found[1].message);
    assert!(found[2].message.contains("the target is empty"), "{}", found[2].message);
    let (text, segments) = layout(&pairs);
    assert_eq!(found[2].start, segments[2].range.start, "an empty target: an empty span at the segment start");
    assert_eq!(found[2].end, found[2].start);
    assert_eq!(found[2].start, text.len());
}

#[test]
fn copied_figures_and_names_kept_beside_their_english_are_translations() {
    assert_clean(
        "zh-en.source-untranslated",
        &[
            ("iPhone 15 Pro", "iPhone 15 Pro"),
            ("2023", "2023"),
            ("江南造船厂今天交付了一艘新船。", "Jiangnan Shipyard (江南造船厂) delivered a new ship today."),
        ],
    );
}

// length

#[test]
fn a_target_far_shorter_or_longer_than_its_source_is_reported_with_the_ratio() {
    let found = check(
        "zh-en.source-length",
        &[
            (
                "受强降雨影响，该市多条道路积水严重，地铁三号线部分站点临时关闭，市政部门已连夜组织抢修。",
                "Roads were flooded.",
            ),
            (
                "市场监管总局发布新规。",
                "The State Administration for Market Regulation issued new rules today, and the rules, which were \
                 drafted over two years, will take effect nationwide next spring after a long public consultation.",
            ),
        ],
    );
    assert_eq!(found.iter().map(|f| f.segment).collect::<Vec<_>>(), [0, 1], "{found:#?}");
    assert!(found[0].message.contains("letters per source character, below 2.2"), "{}", found[0].message);
    assert!(found[1].message.contains("above 6.5"), "{}", found[1].message);
}

#[test]
fn ordinary_translations_and_short_sources_pass_the_length_check() {
    assert_clean(
        "zh-en.source-length",
        &[
            (
                "受强降雨影响，该市多条道路积水严重，地铁三号线部分站点临时关闭，市政部门已连夜组织抢修。",
                "Heavy rain flooded many of the city's roads and temporarily closed some Metro Line 3 stations; \
                 municipal departments organized repairs overnight.",
            ),
            ("新规明年起施行。", "The new rules, drafted over two years of consultation, take effect next year."),
            ("华为发布Mate 60 Pro手机。", "Huawei released the Mate 60 Pro phone."),
        ],
    );
}

// punctuation

#[test]
fn lost_question_and_exclamation_marks_are_reported_and_restored() {
    let found = check(
        "zh-en.source-punctuation",
        &[
            ("这项技术真的能降低成本吗？", "Can this technology really cut costs."),
            ("祝大家新年快乐！", "Happy New Year to all"),
        ],
    );
    let got: Vec<(&str, Option<&str>)> = found.iter().map(|f| (f.matched.as_str(), f.suggestion.as_deref())).collect();
    assert_eq!(got, [(".", Some("?")), ("l", Some("l!"))], "{found:#?}");
    assert!(found[0].message.contains("question mark (？)"), "{}", found[0].message);
}

#[test]
fn lost_brackets_and_quotation_marks_are_reported() {
    let found = check(
        "zh-en.source-punctuation",
        &[
            ("（记者 李明）本市今年将新建二十座公园。", "The city will build twenty new parks this year."),
            (
                "他说：“我们会继续扩大开放，欢迎更多外国企业来华投资。”",
                "He said that China would keep opening up and welcomed more foreign investment.",
            ),
            ("会上发布了《城市更新白皮书》。", "the meeting released a white paper on urban renewal."),
        ],
    );
    assert_eq!(found.iter().map(|f| f.segment).collect::<Vec<_>>(), [0, 1, 2], "{found:#?}");
    assert!(found[0].message.contains("（）"), "{}", found[0].message);
    assert!(found[1].message.contains("“”"), "{}", found[1].message);
    assert!(found[2].message.contains("《》"), "{}", found[2].message);
}

#[test]
fn punctuation_english_may_drop_is_not_reported() {
    assert_clean(
        "zh-en.source-punctuation",
        &[
            ("这家书店被称为城市的“客厅”。", "The bookshop is known as the city's living room."),
            ("该报告发表在《自然》杂志上。", "The report was published in Nature."),
            ("他表示：“这是一个好消息。”", "He said: \"This is good news.\""),
            ("你知道吗？这座桥已有百年历史。", "Did you know? The bridge is a hundred years old."),
            ("这样做真的有用吗？”他问道。", "\"Does it really help?\" he asked."),
            ("谁会想到呢？", "Who would have thought? - Reporter Li Ming."),
            (
                "会议期间（10月20日至22日）将发布新政策。",
                "New policies will be released during the meeting [October 20-22].",
            ),
        ],
    );
}

// all checks

#[test]
fn findings_are_placed_in_their_segment_of_the_check_text() {
    let pairs = [
        ("新规明年起施行。", "The rules take effect next year."),
        ("该市今年新增就业岗位4400个。", "The city added 4,000 jobs this year."),
    ];
    let (text, segments) = layout(&pairs);
    let found = check("zh-en.source-", &pairs);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].rule.as_str(), found[0].segment), ("zh-en.source-numbers", 1));
    assert_eq!(&text[found[0].start..found[0].end], "4,000");
    assert!(found[0].start > segments[1].range.start);
}

#[test]
fn segments_without_a_source_are_not_compared() {
    let text = "The city added 4,000 jobs this year.";
    let segments = [Segment { id: None, source: None, range: 0..text.len() }];
    let rules = rules();
    let found: Vec<_> = check_segments(text, &segments, rules)
        .into_iter()
        .filter(|f| rules.rule(f.rule).id.starts_with("zh-en.source-"))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn correct_translations_pass_every_source_check() {
    assert_clean(
        "zh-en.source-",
        &[
            (
                "国家统计局10月20日发布数据显示，前三季度全国居民人均可支配收入为2.9万元，同比增长6.3%。",
                "Data released by the National Bureau of Statistics on October 20 show that per capita disposable \
                 income reached 29,000 yuan in the first three quarters, up 6.3% year on year.",
            ),
            (
                "他说：“今年我们将新建两千个充电站，覆盖全市所有街道。”",
                "\"This year we will build 2,000 charging stations covering every street in the city,\" he said.",
            ),
            ("三年来，该县累计植树造林120万亩。", "Over three years, the county has planted 1.2 million mu of forest."),
        ],
    );
}
