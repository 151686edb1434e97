//! Resolving one scalar to a value: tags, the YAML 1.2 core schema with strict booleans,
//! integers and floats.

use super::builder::unsupported_tag;
use super::{Loc, Value, YamlError};
use granit_parser::{ScalarStyle, Tag};
use std::borrow::Cow;

/// Resolves one scalar event to a value.
pub(super) fn scalar(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    loc: Loc,
) -> Result<Value, YamlError> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            Value::Str(text.into_owned())
        });
    };
    // The non-specific tag `!` means text.
    if tag.handle().is_empty() && tag.suffix() == "!" {
        return Ok(Value::Str(text.into_owned()));
    }
    let core = tag.core_suffix();
    if core == Some("str") {
        return Ok(Value::Str(text.into_owned()));
    }
    let t = yaml_trim(&text);
    let value = match core {
        Some("null") => Some(Value::Null),
        Some("bool") => parse_bool(t).map(Value::Bool),
        Some("int") => match parse_int(t) {
            Some(v @ Value::Int(_)) => Some(v),
            _ => None,
        },
        Some("float") => parse_int(t)
            .and_then(|v| match v {
                Value::Int(i) => Some(Value::Float(i as f64)),
                Value::Float(f) => Some(Value::Float(f)),
                _ => None,
            })
            .or_else(|| parse_float(t).map(Value::Float)),
        _ => return Err(unsupported_tag(tag, loc)),
    };
    value.ok_or_else(|| YamlError {
        loc,
        message: format!("`{}` is not a valid !!{}", t, core.unwrap_or_default()),
        budget: None,
    })
}

/// Padding ignored when a scalar is read as a number or boolean.
fn yaml_trim(s: &str) -> &str {
    let pad = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    match (s.as_bytes().first(), s.as_bytes().last()) {
        // Plain scalars never have padding: skip the general trim.
        (Some(f), Some(l)) if !pad(f) && !pad(l) => s,
        _ => s.trim_matches([' ', '\t', '\r', '\n']),
    }
}

/// YAML 1.2 core schema resolution of a plain scalar, with strict booleans (as serde-saphyr
/// resolved it for an untyped target).
pub(super) fn resolve_plain(text: Cow<'_, str>) -> Value {
    if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    let t = yaml_trim(&text);
    if let Some(b) = parse_bool(t) {
        return Value::Bool(b);
    }
    // Only text starting like a number can be one.
    if t.as_bytes()
        .first()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
    {
        let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
        // Upper-case radix prefixes and signed NaN stay text.
        let upper_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
        let signed_nan = unsigned.len() != t.len() && matches!(unsigned, ".nan" | ".NaN" | ".NAN");
        if !upper_radix && !signed_nan {
            if let Some(v) = parse_int(t) {
                return v;
            }
            if let Some(f) = parse_float(t) {
                return Value::Float(f);
            }
        }
    }
    Value::Str(text.into_owned())
}

fn parse_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer in decimal (no redundant leading zero), `0x`, `0o` or `0b`, with `_` allowed
/// between digits. Unsigned values beyond `i64` become floats, as before.
fn parse_int(t: &str) -> Option<Value> {
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) =
        if let Some(r) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
            (2, r)
        } else {
            if rest.starts_with('0') && rest != "0" {
                return None;
            }
            (10, rest)
        };
    let mag = parse_digits(digits, radix)?;
    if neg {
        let v = i128::try_from(mag).ok()?.checked_neg()?;
        i64::try_from(v).ok().map(Value::Int)
    } else {
        let v = u64::try_from(mag).ok()?;
        Some(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
}

fn parse_digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes[i - 1] != b'_';
            let next_ok = bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(radix)?;
        val = val
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

/// A YAML 1.2 float: `.inf`, `-.inf`, `.nan` (any of their three spellings), or a decimal
/// number; a numeral too large for `f64` is infinite.
fn parse_float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    // Rust also reads `inf`, `nan` and `infinity`; YAML keeps those as text.
    let v = t.parse::<f64>().ok()?;
    if v.is_finite() || unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        Some(v)
    } else {
        None
    }
}
