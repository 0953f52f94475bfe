//! The tamper-evident sales journal, as certified tills keep one (NF525 in
//! France, KassenSichV in Germany): every entry carries the SHA-256 of its
//! own content and of the entry before it, so changing, removing or
//! reordering any saved entry breaks every link after it.

pub use zargar_rules::journal::{GENESIS_HASH, content_hash, entry_hash, link};
use zargar_wire::JournalLink;

/// One stored entry, as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub index: u64,
    pub content: String,
    pub link: JournalLink,
}

/// The first place the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalBreak {
    #[error("entry {expected} is missing (found {found})")]
    Missing { expected: u64, found: u64 },
    #[error("entry {index}: its content was changed")]
    ContentChanged { index: u64 },
    #[error("entry {index}: it does not link to the entry before it")]
    LinkBroken { index: u64 },
    #[error("entry {index}: its hash was changed")]
    HashChanged { index: u64 },
}

impl JournalBreak {
    pub fn index(&self) -> u64 {
        match self {
            JournalBreak::Missing { expected, .. } => *expected,
            JournalBreak::ContentChanged { index }
            | JournalBreak::LinkBroken { index }
            | JournalBreak::HashChanged { index } => *index,
        }
    }

    /// The Fluent id of the message that names this break.
    pub fn message_id(&self) -> &'static str {
        match self {
            JournalBreak::Missing { .. } => "journal-break-missing",
            JournalBreak::ContentChanged { .. } => "journal-break-content",
            JournalBreak::LinkBroken { .. } => "journal-break-link",
            JournalBreak::HashChanged { .. } => "journal-break-hash",
        }
    }
}

/// Walks the chain in index order; returns how many entries verified, or the
/// first break.
pub fn verify(entries: impl IntoIterator<Item = StoredEntry>) -> Result<u64, JournalBreak> {
    let mut prev = GENESIS_HASH.to_owned();
    let mut expected = 1;
    for e in entries {
        if e.index != expected || e.link.index != e.index {
            return Err(JournalBreak::Missing { expected, found: e.index });
        }
        if content_hash(&e.content) != e.link.content_hash {
            return Err(JournalBreak::ContentChanged { index: e.index });
        }
        if e.link.prev_hash != prev {
            return Err(JournalBreak::LinkBroken { index: e.index });
        }
        if entry_hash(e.index, &e.link.prev_hash, &e.link.content_hash) != e.link.hash {
            return Err(JournalBreak::HashChanged { index: e.index });
        }
        prev = e.link.hash;
        expected += 1;
    }
    Ok(expected - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|i| {
                let content = format!("{{\"sale\":{i}}}");
                let link = link(i, &prev, &content);
                prev = link.hash.clone();
                StoredEntry { index: i, content, link }
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(chain(5)), Ok(5));
        assert_eq!(verify(Vec::new()), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_is_named_at_its_entry() {
        let mut c = chain(5);
        c[2].content = "{\"sale\":999}".into();
        assert_eq!(verify(c), Err(JournalBreak::ContentChanged { index: 3 }));

        // Rewriting content and its content hash still breaks the entry hash.
        let mut c = chain(5);
        c[2].content = "{\"sale\":999}".into();
        c[2].link.content_hash = content_hash(&c[2].content);
        assert_eq!(verify(c), Err(JournalBreak::HashChanged { index: 3 }));

        // Recomputing that hash too breaks the next entry's link.
        let mut c = chain(5);
        c[2].content = "{\"sale\":999}".into();
        c[2].link.content_hash = content_hash(&c[2].content);
        c[2].link.hash = entry_hash(3, &c[2].link.prev_hash, &c[2].link.content_hash);
        assert_eq!(verify(c), Err(JournalBreak::LinkBroken { index: 4 }));

        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(c), Err(JournalBreak::Missing { expected: 2, found: 3 }));
    }
}
