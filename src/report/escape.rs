//! Text made safe for where it goes: a line on the user's terminal, a word of a shell command.
//!
//! What a server sends, and what a certificate file holds, ends up on a terminal. A terminal
//! obeys escape sequences: ANSI colour and cursor movement, OSC 52 (which writes the
//! clipboard), OSC 8 links. Every value shown as text goes through [`terminal_line`] or
//! [`terminal_block`], which spell such characters out (`\x1b`, `\u{202e}`) instead of sending
//! them. A text that is spelled out has its own backslashes doubled, so a certificate that
//! holds the four characters `\x1b` cannot pose as one that holds an ESC; a text with nothing
//! to spell out is shown as it is (a DN's `\,` and `\C3\BC` stay readable). JSON output
//! needs none of this: its encoder already escapes control characters.

use std::borrow::Cow;

/// Characters a terminal may act on, or that reorder what is shown: C0 and C1 controls, DEL,
/// and the Unicode bidirectional overrides and isolates.
fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        // Line and paragraph separators: some terminals break the line there.
        '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

/// Whether `text` holds something that reads as one of our escapes (`\x`, `\u`).
fn looks_escaped(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'\\' && matches!(pair[1], b'x' | b'u'))
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newlines)) && !looks_escaped(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if !is_unsafe(c, keep_newlines) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` (or reorder the text around it) if it were printed raw:
/// what [`terminal_block`] never lets through.
pub fn acts_on_terminal(c: char) -> bool {
    is_unsafe(c, true)
}

/// `text` for one line of a terminal: every control character, newlines included, escaped.
pub fn terminal_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` for several lines of a terminal: newlines and tabs kept, every other control
/// character escaped (a carriage return could overwrite what was printed).
pub fn terminal_block(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// `text` as one word of a POSIX shell command: as it is when it is plain, else in single
/// quotes.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-:=@+,".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_spelled_out() {
        let hostile = "ok\u{1b}[31mred\u{1b}]52;c;ZXZpbA==\u{7}\r\u{9b}2J\u{202e}txt";
        let line = terminal_line(hostile);
        assert_eq!(
            line,
            "ok\\x1b[31mred\\x1b]52;c;ZXZpbA==\\x07\\x0d\\x9b2J\\u{202e}txt"
        );
        assert!(!line.chars().any(|c| c.is_control()));
        assert_eq!(terminal_line("a\nb"), "a\\x0ab");
        assert_eq!(terminal_block("a\nb\tc\rd"), "a\nb\tc\\x0dd");
        assert!(matches!(terminal_line("Zürich, DE"), Cow::Borrowed(_)));
        assert_eq!(terminal_line("a\u{61c}b"), "a\\u{61c}b");
    }

    #[test]
    fn literal_escapes_cannot_pose_as_control_characters() {
        // A DN's own escapes are shown as they are.
        let dn = "O=M\\C3\\BCller\\, GmbH";
        assert!(matches!(terminal_line(dn), Cow::Borrowed(_)));
        // The four characters `\x1b` and a real ESC read differently.
        assert_eq!(terminal_line("\\x1b[31m"), "\\\\x1b[31m");
        assert_eq!(terminal_line("\u{1b}[31m"), "\\x1b[31m");
        assert_eq!(terminal_line("a\\b\u{7}"), "a\\\\b\\x07");
        assert_eq!(terminal_line("\\u{202e}"), "\\\\u{202e}");
    }

    #[test]
    fn shell_words_survive_the_shell() {
        assert_eq!(shell_word("/tmp/id.p12"), "/tmp/id.p12");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
    }
}
