//! The journal's link formula. A till chains every sale and return it saves;
//! the server checks each link it is sent and that it follows the last one.

use sha2::{Digest, Sha256};
use zargar_wire::JournalLink;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn content_hash(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// The hash of an entry binds its position, its predecessor and its content.
pub fn entry_hash(index: u64, prev_hash: &str, content_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(index.to_string().as_bytes());
    h.update(b":");
    h.update(prev_hash.as_bytes());
    h.update(b":");
    h.update(content_hash.as_bytes());
    hex::encode(h.finalize())
}

/// The link for a new entry at `index` after an entry whose hash is `prev_hash`.
pub fn link(index: u64, prev_hash: &str, content: &str) -> JournalLink {
    let content_hash = content_hash(content);
    let hash = entry_hash(index, prev_hash, &content_hash);
    JournalLink { index, prev_hash: prev_hash.to_owned(), content_hash, hash }
}

/// Whether a link's own hash is what its index, predecessor and content give.
pub fn link_holds(link: &JournalLink) -> bool {
    entry_hash(link.index, &link.prev_hash, &link.content_hash) == link.hash
}

/// Whether `next` is the entry right after `prev` (or the first entry when
/// there is no `prev`), and holds by itself.
pub fn follows(prev: Option<(u64, &str)>, next: &JournalLink) -> bool {
    let (index, hash) = prev.unwrap_or((0, GENESIS_HASH));
    link_holds(next) && next.index == index + 1 && next.prev_hash == hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_follows_and_a_changed_link_does_not() {
        let first = link(1, GENESIS_HASH, "sale 1");
        let second = link(2, &first.hash, "sale 2");
        assert!(follows(None, &first));
        assert!(follows(Some((1, &first.hash)), &second));
        assert!(!follows(None, &second), "the first entry must link to the genesis");
        let mut forged = second.clone();
        forged.content_hash = content_hash("sale 2, edited");
        assert!(!follows(Some((1, &first.hash)), &forged));
        let skipped = link(3, &first.hash, "sale 3");
        assert!(!follows(Some((1, &first.hash)), &skipped), "an entry is missing");
    }
}
