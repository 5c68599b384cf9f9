//! Plain text copied from a news site: the headline, a photo caption,
//! scraping debris, key-point bullets and paragraphs, into Markdown.

use super::Draft;
use super::dates;
use super::debris::Debris;

/// Escapes text so that Markdown shows it as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let entity = c == '&'
            && text[i + 1..]
                .split_once(';')
                .is_some_and(|(e, _)| !e.is_empty() && e.len() < 12 && !e.contains(' '));
        if "\\`*_[]<>~|".contains(c) || entity {
            out.push('\\');
        }
        out.push(c);
    }
    // Line starts that would open a block: "# ", "- ", "+ ", "> ", "1. ".
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// The city of a dateline, "ISLAMABAD:" → "Islamabad", and more.
#[derive(Clone, Debug, PartialEq)]
pub struct Dateline {
    pub city: String,
    /// "Reuters" in "MOSCOW (Reuters) -".
    pub agency: Option<String>,
    /// Byte length of the dateline in the lead, up to its separator.
    pub len: usize,
}

const NOT_PLACES: &[&str] = &[
    "BREAKING",
    "UPDATE",
    "UPDATED",
    "WATCH",
    "EXCLUSIVE",
    "ANALYSIS",
    "OPINION",
    "NOTE",
    "EDITOR'S NOTE",
    "CORRECTION",
    "LIVE",
    "VIDEO",
    "PHOTOS",
];

/// A dateline at the start of a lead paragraph: "ISLAMABAD:", "MOSCOW
/// (Reuters) -", "NEW DELHI, Oct 17:", "WASHINGTON —".
pub fn dateline(lead: &str) -> Option<Dateline> {
    let ws = lead.len() - lead.trim_start().len();
    let t = lead.trim_start();
    let mut cut = t.len().min(80);
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &t[..cut];
    let sep = [":", " -", "—", "–"]
        .iter()
        .filter_map(|s| window.find(s).map(|i| (i, s.len())))
        .min()?;
    let mut head = t[..sep.0].trim();
    let mut agency = None;
    if let Some(inner) = head.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let a = inner[open + 1..].trim();
        if !a.is_empty() && a.split_whitespace().count() <= 4 {
            agency = Some(a.to_string());
        }
        head = inner[..open].trim();
    }
    let city = head.split(',').next().unwrap_or("").trim();
    let letters = city.chars().filter(|c| c.is_alphabetic()).count();
    let caps = city
        .chars()
        .all(|c| c.is_uppercase() || " .'’-".contains(c));
    if letters < 3 || !caps || city.split_whitespace().count() > 4 || NOT_PLACES.contains(&city) {
        return None;
    }
    Some(Dateline {
        city: title_case(city),
        agency,
        len: ws + sep.0 + sep.1,
    })
}

/// "NEW YORK" → "New York", "ST. PETERSBURG" → "St. Petersburg".
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ' || c == '-';
    }
    out
}

fn bullet(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['•', '·', '▪', '●', '-', '–', '*'])?;
    (rest.starts_with(char::is_whitespace) && !rest.trim().is_empty()).then(|| rest.trim())
}

/// A photo caption: ends with a short credit in parentheses, "(Pakistan
/// Army)", "(AFP/File)", or starts like one ("Photo:", "File photo").
fn is_caption(line: &str) -> bool {
    let lower = line.to_lowercase();
    if ["photo:", "photo credit", "file photo", "image:", "picture:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    let Some(inner) = line.strip_suffix(')') else {
        return false;
    };
    let Some(open) = inner.rfind('(') else {
        return false;
    };
    let credit = &inner[open + 1..];
    line.len() < 400 && open > 0 && !credit.is_empty() && credit.split_whitespace().count() <= 6
}

/// "By Jane Doe" → "Jane Doe".
pub fn byline(line: &str) -> Option<&str> {
    let name = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))?;
    let name = name.trim();
    let words = name.split_whitespace().count();
    let capitalised = name.starts_with(|c: char| c.is_uppercase());
    (capitalised && words <= 8 && !name.ends_with('.')).then_some(name)
}

/// A line that is only a date ("Updated 17 October 2023 19:04 GMT"): the
/// publication date, not body text.
fn date_line(line: &str) -> Option<jiff::civil::Date> {
    const LABELS: &[&str] = &[
        "last",
        "updated",
        "update",
        "published",
        "posted",
        "date",
        "on",
        "at",
        "am",
        "pm",
    ];
    const DAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if line.len() > 60 {
        return None;
    }
    let m = dates::mentions(line)
        .into_iter()
        .find(|m| matches!(m.when, dates::When::MonthDay { year: Some(_), .. }))?;
    let outside = format!("{} {}", &line[..m.range.start], &line[m.range.end..]);
    // Everything else on the line is a label, a weekday, a time or a zone.
    let only_date = outside
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            let l = w.to_lowercase();
            LABELS.contains(&l.as_str())
                || DAYS.iter().any(|d| l.starts_with(d))
                || (w.len() <= 4 && w.chars().all(char::is_uppercase))
        });
    if only_date {
        m.when.resolve(None)
    } else {
        None
    }
}

/// A summary from key-point bullets: each a sentence.
pub fn summary_from_items(items: &[String]) -> String {
    items
        .iter()
        .map(|i| {
            let i = i.trim();
            if i.ends_with(['.', '!', '?', '”', '"']) {
                i.to_string()
            } else {
                format!("{i}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

enum Block {
    List(Vec<String>),
    Para(String),
}

/// Cleans copied text into a draft article.
pub fn parse(text: &str, debris: &Debris) -> anyhow::Result<Draft> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
        .replace(['\u{a0}', '\u{2009}', '\u{202f}', '\t'], " ")
        .replace(['\u{200b}', '\u{feff}'], "")
        // Control characters (NUL above all) are debris of a bad copy; an
        // article holding one would not build.
        .replace(|c: char| c.is_control() && c != '\n', "");
    let mut draft = Draft::default();
    // Lines, debris and date lines taken out; None is a blank line.
    let mut lines: Vec<Option<&str>> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            lines.push(None);
        } else if debris.is_debris(line) {
            draft.removed += 1;
        } else if let Some(d) = date_line(line).filter(|_| draft.published.is_none()) {
            draft.published = Some((d, format!("the line {line:?}")));
        } else {
            lines.push(Some(line));
        }
    }
    let Some(first) = lines.iter().position(Option::is_some) else {
        anyhow::bail!("no text to import");
    };
    let title = lines[first].unwrap_or_default();
    draft.title = title.trim_start_matches('#').trim().to_string();

    // Between the headline and the story: a repeated headline, a byline,
    // a photo's caption (left out: the photo is not imported, and a
    // caption under no photo reads as a stray line).
    let mut caption = false;
    let mut at = first + 1;
    while let Some(slot) = lines.get(at) {
        match slot {
            None => {}
            Some(line) if *line == title => {}
            Some(line) if draft.author.is_none() && byline(line).is_some() => {
                draft.author = byline(line).map(str::to_string);
            }
            Some(line) if !caption && is_caption(line) && dateline(line).is_none() => {
                caption = true;
            }
            Some(_) => break,
        }
        at += 1;
    }

    // Blocks: runs of bullets, and paragraphs. Blank lines separate
    // paragraphs; so does a line ending a sentence.
    let mut blocks: Vec<Block> = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Para(std::mem::take(para)));
        }
    };
    for line in &lines[at..] {
        let Some(line) = *line else {
            flush(&mut para, &mut blocks);
            continue;
        };
        if let Some(item) = bullet(line) {
            flush(&mut para, &mut blocks);
            match blocks.last_mut() {
                Some(Block::List(items)) => items.push(item.to_string()),
                _ => blocks.push(Block::List(vec![item.to_string()])),
            }
            continue;
        }
        // A line that does not end a sentence runs on into the next when
        // the text looks hard-wrapped: a long line, or a next line that
        // starts in lower case.
        let runs_on = !para.is_empty()
            && !para.ends_with(['.', '!', '?', '"', '”', '’', ':'])
            && (para.rsplit('\n').next().unwrap_or("").chars().count() >= 50
                || line.starts_with(char::is_lowercase));
        if !runs_on {
            flush(&mut para, &mut blocks);
        }
        if !para.is_empty() {
            para.push('\n');
        }
        para.push_str(line);
    }
    flush(&mut para, &mut blocks);

    if let Some(Block::List(items)) = blocks.first() {
        draft.summary = Some(summary_from_items(items));
    }
    let mut md: Vec<String> = Vec::new();
    for b in blocks {
        md.push(match b {
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}", escape(i)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Para(p) => p.split('\n').map(escape).collect::<Vec<_>>().join(" "),
        });
    }
    draft.body = md.join("\n\n");
    if draft.body.trim().is_empty() {
        anyhow::bail!("only a headline ({:?}), no story text", draft.title);
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debris() -> Debris {
        Debris::new(&["Download our app*".to_string()])
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a*b_c [d] <e>"), "a\\*b\\_c \\[d\\] \\<e\\>");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("2023. The year"), "2023\\. The year");
        assert_eq!(escape("AT&T &amp; co"), "AT&T \\&amp; co");
        assert_eq!(escape("- dash"), "\\- dash");
    }

    #[test]
    fn datelines() {
        let d = dateline("ISLAMABAD: The armies").unwrap();
        assert_eq!((d.city.as_str(), d.agency, d.len), ("Islamabad", None, 10));
        let d = dateline("MOSCOW (Reuters) - Russia said").unwrap();
        assert_eq!(d.city, "Moscow");
        assert_eq!(d.agency.as_deref(), Some("Reuters"));
        assert_eq!(&"MOSCOW (Reuters) - Russia"[..d.len], "MOSCOW (Reuters) -");
        assert_eq!(dateline("NEW YORK, Oct 17 — x").unwrap().city, "New York");
        assert_eq!(
            dateline("ST. PETERSBURG: x").unwrap().city,
            "St. Petersburg"
        );
        assert_eq!(dateline("The army said: yes"), None);
        assert_eq!(dateline("UPDATE: more"), None);
        assert_eq!(dateline("No dateline here at all"), None);
    }

    #[test]
    fn captions_bylines_and_date_lines() {
        assert!(is_caption("Troops at the range. (Pakistan Army)"));
        assert!(is_caption("Photo: a tank"));
        assert!(!is_caption(
            "ISLAMABAD: The army (ISPR) said more things (and more)."
        ));
        assert!(!is_caption("(AFP)"));
        assert_eq!(byline("By Jane Doe"), Some("Jane Doe"));
        assert_eq!(byline("By the end of the year, it grew."), None);
        let d = jiff::civil::date(2023, 10, 17);
        assert_eq!(date_line("Updated 17 October 2023"), Some(d));
        assert_eq!(
            date_line("Published: Tue, Oct. 17, 2023 10:04 GMT"),
            Some(d)
        );
        assert_eq!(date_line("October 17, 2023"), Some(d));
        assert_eq!(date_line("On October 17, 2023 the army marched."), None);
    }

    #[test]
    fn parses_copied_text() {
        let t = "\u{feff}Navy tests drone\r\n\r\nShort Url\r\nA drone over the sea. (Navy)\r\nUpdated 17 October 2023\r\n  • First point\r\n  • Second point.\r\n\r\nKARACHI: The navy tested a *new* drone,\r\nthe navy said.\r\nA second paragraph.\r\n";
        let d = parse(t, &debris()).unwrap();
        assert_eq!(d.title, "Navy tests drone");
        assert_eq!(d.summary.as_deref(), Some("First point. Second point."));
        assert_eq!(
            d.published.as_ref().unwrap().0,
            jiff::civil::date(2023, 10, 17)
        );
        assert_eq!(d.removed, 1);
        assert_eq!(
            d.body,
            "- First point\n- Second point.\n\nKARACHI: The navy tested a \\*new\\* drone, the navy said.\n\nA second paragraph."
        );
        assert!(parse("\n\nShort Url\n", &debris()).is_err());
        assert!(parse("Only a headline\n", &debris()).is_err());
    }
}
