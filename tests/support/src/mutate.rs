//! Deterministic mutations of real files: bit flips, truncations, insertions, long-form length
//! bytes, and DER length bombs (a length field claiming gigabytes). The same seed gives the
//! same files on every machine, so a failure names a reproducible case.

/// A xorshift generator and the mutations it drives.
pub struct Mutator {
    state: u64,
}

impl Mutator {
    /// A generator from `seed` (any non-zero value).
    pub fn new(seed: u64) -> Self {
        Self { state: seed | 1 }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// Mutation number `round` of `original` (the kind cycles with `round`).
    pub fn mutate(&mut self, original: &[u8], round: usize) -> Vec<u8> {
        let mut bytes = original.to_vec();
        let at = (self.next() as usize) % bytes.len().max(1);
        match round % 5 {
            0 => bytes[at] ^= 1 << (self.next() % 8),
            1 => bytes.truncate(at),
            2 => bytes.insert(at, self.next() as u8),
            // A long-form length byte in the middle of things.
            3 => bytes[at] = 0x84,
            // A length bomb: the first constructed tag at or after `at` claims ~2 GiB.
            _ => {
                let tag = bytes[at..]
                    .iter()
                    .position(|&b| b == 0x30 || b == 0x31 || b == 0x04 || b == 0xA0)
                    .map_or(at, |i| at + i);
                if tag + 1 < bytes.len() {
                    bytes.splice(tag + 1..tag + 2, [0x84, 0x7F, 0xFF, 0xFF, 0xFF]);
                }
            }
        }
        bytes
    }
}
