//! A reader for the few small protobuf messages inside an Anki package: the media map
//! (`MediaEntries`), the package `meta` (`PackageMetadata`), note type and template configs.
//! Hand-decoded because only a handful of fields of four messages are needed: `prost` would
//! bring code generation (a build script and `protoc`-free descriptors) for that.

/// One field of a message: its number and value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// A varint (wire type 0).
    Varint(u64),
    /// A length-delimited value (wire type 2): bytes, a string or a nested message.
    Bytes(&'a [u8]),
    /// A fixed 32- or 64-bit value (wire types 5 and 1), unused here.
    Fixed(u64),
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("damaged protobuf message at byte {0}")]
pub struct ProtoError(pub usize);

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, ProtoError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).ok_or(ProtoError(*pos))?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ProtoError(*pos))
}

/// The fields of one message, in order (repeated fields appear once per value).
pub fn fields(buf: &[u8]) -> Result<Vec<(u64, Value<'_>)>, ProtoError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        let (num, wire) = (key >> 3, key & 7);
        let value = match wire {
            0 => Value::Varint(varint(buf, &mut pos)?),
            1 | 5 => {
                let n = if wire == 1 { 8 } else { 4 };
                let bytes = buf.get(pos..pos + n).ok_or(ProtoError(pos))?;
                pos += n;
                let mut v = [0u8; 8];
                v[..n].copy_from_slice(bytes);
                Value::Fixed(u64::from_le_bytes(v))
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?).map_err(|_| ProtoError(pos))?;
                let end = pos.checked_add(len).ok_or(ProtoError(pos))?;
                let bytes = buf.get(pos..end).ok_or(ProtoError(pos))?;
                pos = end;
                Value::Bytes(bytes)
            }
            _ => return Err(ProtoError(pos)),
        };
        out.push((num, value));
    }
    Ok(out)
}

/// The first varint field `num`, or 0 (protobuf's default).
pub fn varint_field(buf: &[u8], num: u64) -> Result<u64, ProtoError> {
    Ok(fields(buf)?
        .into_iter()
        .find_map(|(n, v)| match v {
            Value::Varint(x) if n == num => Some(x),
            _ => None,
        })
        .unwrap_or(0))
}

/// The first length-delimited field `num` as text (lossy), or empty.
pub fn string_field(buf: &[u8], num: u64) -> Result<String, ProtoError> {
    Ok(fields(buf)?
        .into_iter()
        .find_map(|(n, v)| match v {
            Value::Bytes(b) if n == num => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_media_entry() {
        // MediaEntries { entries: [MediaEntry { name: "a.png", size: 71 }] }
        let entry = [0x0a, 5, b'a', b'.', b'p', b'n', b'g', 0x10, 71];
        let mut msg = vec![0x0a, entry.len() as u8];
        msg.extend_from_slice(&entry);
        let f = fields(&msg).expect("valid");
        let Value::Bytes(inner) = f[0].1 else {
            panic!("not bytes")
        };
        assert_eq!(string_field(inner, 1).expect("name"), "a.png");
        assert_eq!(varint_field(inner, 2).expect("size"), 71);
        assert_eq!(varint_field(inner, 9).expect("absent"), 0);
    }

    #[test]
    fn refuses_truncated_messages() {
        assert!(fields(&[0x0a, 9, 1]).is_err());
        assert!(fields(&[0x08, 0xff]).is_err());
        assert!(fields(&[0x0b]).is_err(), "wire type 3 is not supported");
    }
}
