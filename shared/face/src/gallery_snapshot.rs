//! The gallery as one compact binary object, tagged with the store's gallery version.
//!
//! Layout, little-endian: the magic `LINTASG1`, the version (u64), the number of templates
//! of other models left out (u64), the model id (u16 length + UTF-8), the template count
//! (u32), then per template its id and employee id (u16 length + UTF-8 each) and its
//! vector (128 `f32`s). Nothing may follow.

use super::embedding::{EMBEDDING_DIM, Embedding, ModelId};
use super::gallery::Gallery;

const MAGIC: &[u8; 8] = b"LINTASG1";

/// A gallery and the store version it was read at.
pub struct Snapshot {
    /// The store's gallery version read before the templates.
    pub version: u64,
    /// Templates of other models left out.
    pub skipped: usize,
    /// The gallery.
    pub gallery: Gallery,
}

/// Bytes that are not a snapshot written by [`encode`].
#[derive(Debug, thiserror::Error)]
#[error("malformed gallery snapshot: {0}")]
pub struct MalformedSnapshot(String);

/// The snapshot's bytes.
pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    let gallery = &snapshot.gallery;
    let mut out = Vec::with_capacity(64 + gallery.len() * (EMBEDDING_DIM * 4 + 80));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&snapshot.version.to_le_bytes());
    out.extend_from_slice(&(snapshot.skipped as u64).to_le_bytes());
    put_text(&mut out, gallery.model().as_str());
    out.extend_from_slice(&(gallery.len() as u32).to_le_bytes());
    for (template, employee, vector) in gallery.entries() {
        put_text(&mut out, template);
        put_text(&mut out, employee);
        vector
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    }
    out
}

/// Reads back [`encode`]'s bytes, checking every length and vector.
pub fn decode(bytes: &[u8]) -> Result<Snapshot, MalformedSnapshot> {
    let mut reader = Reader { bytes };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err(MalformedSnapshot("not a gallery snapshot".into()));
    }
    let version = reader.u64()?;
    let skipped = usize::try_from(reader.u64()?)
        .map_err(|_| MalformedSnapshot("skipped count out of range".into()))?;
    let model = ModelId::new(reader.text()?);
    let count = reader.u32()?;
    let mut gallery = Gallery::new(model.clone());
    for _ in 0..count {
        let template = reader.text()?;
        let employee = reader.text()?;
        let embedding = Embedding::from_le_bytes(model.clone(), reader.take(EMBEDDING_DIM * 4)?)
            .map_err(|e| MalformedSnapshot(e.to_string()))?;
        gallery
            .insert(template, &employee, &embedding)
            .map_err(|e| MalformedSnapshot(e.to_string()))?;
    }
    if !reader.bytes.is_empty() {
        return Err(MalformedSnapshot(format!(
            "{} bytes after the last template",
            reader.bytes.len()
        )));
    }
    Ok(Snapshot {
        version,
        skipped,
        gallery,
    })
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    let length = u16::try_from(text.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&text.as_bytes()[..usize::from(length)]);
}

/// A bounds-checked cursor over the snapshot's bytes.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Result<&'a [u8], MalformedSnapshot> {
        if self.bytes.len() < length {
            return Err(MalformedSnapshot("truncated".into()));
        }
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], MalformedSnapshot> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u64(&mut self) -> Result<u64, MalformedSnapshot> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, MalformedSnapshot> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn text(&mut self) -> Result<String, MalformedSnapshot> {
        let length = u16::from_le_bytes(self.array()?);
        let bytes = self.take(usize::from(length))?;
        String::from_utf8(bytes.to_vec()).map_err(|_| MalformedSnapshot("text is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        let model = ModelId::new("facenet-test");
        let mut gallery = Gallery::new(model.clone());
        for (n, (template, employee)) in [("t1", "ann"), ("t2", "ann"), ("t3", "ben")]
            .into_iter()
            .enumerate()
        {
            let mut raw = vec![0.1; EMBEDDING_DIM];
            raw[n] = 1.0;
            let embedding = Embedding::from_raw(model.clone(), raw).unwrap();
            gallery.insert(template, employee, &embedding).unwrap();
        }
        Snapshot {
            version: 42,
            skipped: 3,
            gallery,
        }
    }

    #[test]
    fn a_snapshot_reads_back_exactly() {
        let original = snapshot();
        let read = decode(&encode(&original)).unwrap();
        assert_eq!((read.version, read.skipped), (42, 3));
        assert_eq!(read.gallery.model(), original.gallery.model());
        assert!(read.gallery.entries().eq(original.gallery.entries()));
    }

    #[test]
    fn damaged_snapshots_are_refused() {
        let bytes = encode(&snapshot());
        assert!(decode(&bytes[..bytes.len() - 1]).is_err(), "truncated");
        assert!(
            decode(&[bytes.as_slice(), &[0]].concat()).is_err(),
            "trailing"
        );
        assert!(decode(b"PNG\x89").is_err(), "foreign");
        assert!(decode(&[]).is_err(), "empty");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(
            decode(&flipped).is_err(),
            "a vector no longer of unit length"
        );
        let mut huge_count = bytes;
        let count_at = 8 + 8 + 8 + 2 + "facenet-test".len();
        huge_count[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&huge_count).is_err(), "a count beyond the bytes");
    }
}
