//! The YAML tree builder's own checks.

use super::builder::same_value;
use super::*;

#[test]
fn keeps_locations_of_keys_and_values() {
    let node = parse("a: 1\nlist:\n  - x\n  - {b: true}\n").expect("valid yaml");
    let Value::Map(entries) = &node.value else {
        panic!("expected a map, got {:?}", node.value)
    };
    assert_eq!(entries[0].0.loc, Loc { line: 1, column: 1 });
    assert_eq!(entries[1].0.loc, Loc { line: 2, column: 1 });
    let Value::Seq(items) = &entries[1].1.value else {
        panic!("expected a list")
    };
    assert_eq!(items[0].loc, Loc { line: 3, column: 5 });
    assert_eq!(items[0].value, Value::Str("x".into()));
    assert_eq!(items[1].loc.line, 4);
}

#[test]
fn reports_syntax_errors_with_location() {
    let err = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("unclosed flow list");
    assert!(err.loc.line >= 2, "{err:?}");
    assert!(!err.message.is_empty());
}

#[test]
fn rejects_duplicate_keys() {
    let err = parse("a: 1\na: 2\n").expect_err("duplicate key");
    assert_eq!(err.loc.line, 2, "{err:?}");
}

/// "Billion laughs": nine levels of nine-fold aliases, 9^9 nodes once expanded.
fn alias_bomb() -> String {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
        prev = name;
    }
    bomb
}

#[test]
fn stops_alias_bombs() {
    let bomb = alias_bomb();
    assert!(parse(&bomb).is_err());
}

#[test]
fn stops_deep_nesting() {
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    assert!(parse(&deep).is_err());
}

#[test]
fn empty_document_is_null() {
    assert_eq!(parse("").map(|n| n.value), Ok(Value::Null));
    for text in ["# only a comment\n", "---\n", "\n\n~\n"] {
        let node = parse(text).expect("valid yaml");
        assert_eq!(node.value, Value::Null, "{text:?}");
        assert_eq!(node.loc, Loc { line: 1, column: 1 }, "{text:?}");
    }
}

fn items(text: &str) -> Vec<Value> {
    match parse(text).expect("valid yaml").value {
        Value::Seq(items) => items.into_iter().map(|n| n.value).collect(),
        other => panic!("expected a list, got {other:?}"),
    }
}

#[test]
fn resolves_plain_scalars_by_the_core_schema() {
    let s = |t: &str| Value::Str(t.into());
    assert_eq!(
        items("[true, True, FALSE, yes, no, on, off, y, tRue]"),
        [
            Value::Bool(true),
            Value::Bool(true),
            Value::Bool(false),
            s("yes"),
            s("no"),
            s("on"),
            s("off"),
            s("y"),
            s("tRue"),
        ]
    );
    assert_eq!(
        items("[~, null, Null, NULL, nUll, '', \"null\"]"),
        [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            s("nUll"),
            s(""),
            s("null"),
        ]
    );
    assert_eq!(
        items("[1, -7, +3, 0x1F, 0o17, 0b101, 1_000, 0X1F, 012, 9223372036854775808, -0]"),
        [
            Value::Int(1),
            Value::Int(-7),
            Value::Int(3),
            Value::Int(31),
            Value::Int(15),
            Value::Int(5),
            Value::Int(1000),
            s("0X1F"),
            Value::Float(12.0),
            Value::Float(9_223_372_036_854_775_808.0),
            Value::Int(0),
        ]
    );
    let floats = items("[1.5, .5, -2e3, .inf, -.inf, .NaN, -.nan, inf, nan, 1.2.3, 1e999]");
    assert_eq!(
        floats[..3],
        [Value::Float(1.5), Value::Float(0.5), Value::Float(-2000.0)]
    );
    assert_eq!(floats[3], Value::Float(f64::INFINITY));
    assert_eq!(floats[4], Value::Float(f64::NEG_INFINITY));
    assert!(matches!(floats[5], Value::Float(f) if f.is_nan()));
    assert_eq!(floats[6..10], [s("-.nan"), s("inf"), s("nan"), s("1.2.3")]);
    assert_eq!(floats[10], Value::Float(f64::INFINITY));
    // Quoted and block scalars are always text.
    assert_eq!(
        parse("a: '1'\nb: \"true\"\nc: |\n  12\nd: >\n  ~\n").map(|n| match n.value {
            Value::Map(e) => e.into_iter().map(|(_, v)| v.value).collect::<Vec<_>>(),
            _ => vec![],
        }),
        Ok(vec![s("1"), s("true"), s("12\n"), s("~\n")])
    );
}

#[test]
fn tags_are_few_and_strict() {
    assert_eq!(
        items("[!!str 1, !!str null, ! 5, !!int 7, !!float 1, !!bool true, !!null x]"),
        [
            Value::Str("1".into()),
            Value::Str("null".into()),
            Value::Str("5".into()),
            Value::Int(7),
            Value::Float(1.0),
            Value::Bool(true),
            Value::Null,
        ]
    );
    let err = parse("a: !!int x\n").expect_err("not an int");
    assert_eq!(
        err.loc,
        Loc {
            line: 1,
            column: 10
        }
    );
    let err = parse("a: !custom x\n").expect_err("unknown tag");
    assert!(err.message.contains("`!custom`"), "{err:?}");
    assert!(parse("!!map {a: !!seq [b]}").is_ok());
    assert!(parse("!!seq {a: b}").is_err());
}

#[test]
fn duplicate_key_names_the_key_and_points_at_it() {
    let err = parse("cards:\n  - id: a\n    kind: x\n    id: b\n").expect_err("duplicate");
    assert_eq!(err.loc, Loc { line: 4, column: 5 });
    assert_eq!(err.message, "duplicate key `id`");
    // Large mappings use a hash index; quoted and plain spellings are the same key.
    let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(parse(&big).is_ok());
    big.push_str("'k7': again\n");
    let err = parse(&big).expect_err("duplicate in a large mapping");
    assert_eq!(
        err.loc,
        Loc {
            line: 41,
            column: 1
        }
    );
    assert_eq!(err.message, "duplicate key `k7`");
    // Complex keys compare by value, not by where they are.
    assert!(parse("? [a]\n: 1\n? [a]\n: 2\n").is_err());
    assert!(parse("1: a\n'1': b\n").is_ok());
}

#[test]
fn aliases_copy_the_anchored_node_at_the_alias() {
    let node = parse("a: &x [1, {b: 2}]\nc: *x\n").expect("valid yaml");
    let Value::Map(entries) = &node.value else {
        panic!("expected a map")
    };
    let (orig, copy) = (&entries[0].1, &entries[1].1);
    let here = Loc { line: 2, column: 4 };
    assert_eq!(copy.loc, here);
    let (Value::Seq(a), Value::Seq(b)) = (&orig.value, &copy.value) else {
        panic!("expected lists")
    };
    assert_eq!(a.len(), b.len());
    assert!(b.iter().all(|n| n.loc == here));
    assert!(same_value(&orig.value, &copy.value));
    // An alias inside its own anchor cannot be copied.
    assert!(parse("&a [*a]").is_err());
    assert!(parse("a: *nope\n").is_err());
}

#[test]
fn budgets_name_what_was_breached() {
    let bomb = alias_bomb();
    let err = parse(&bomb).expect_err("bomb");
    assert_eq!(err.budget, Some(Budget::AliasCopies), "{err:?}");

    // Many plain items: nodes, not aliases, and refused near the file's own size.
    let list = format!("[{}a]", "a,".repeat(100_000));
    let err = parse(&list).expect_err("too many items");
    assert_eq!(err.budget, Some(Budget::Nodes), "{err:?}");
    let list = format!("[{}a]", "a,".repeat(5_000));
    assert!(parse(&list).is_ok());

    let many: String = std::iter::once("- &a x\n".to_string())
        .chain((0..1_001).map(|_| "- *a\n".to_string()))
        .collect();
    let err = parse(&many).expect_err("too many aliases");
    assert!(
        err.message.contains("budget breached") && err.message.contains("Alias"),
        "{err:?}"
    );
    assert_eq!(
        err.loc,
        Loc {
            line: 1_002,
            column: 3
        }
    );

    let deep = format!("x: {}{}", "[".repeat(200), "]".repeat(200));
    let err = parse(&deep).expect_err("too deep");
    assert!(
        err.message.contains("budget breached") && err.message.contains("Depth"),
        "{err:?}"
    );
    // The root mapping is level 1, so the 64th `[` is level 65.
    assert_eq!(
        err.loc,
        Loc {
            line: 1,
            column: 67
        }
    );
    let ok = format!("x: {}{}", "[".repeat(63), "]".repeat(63));
    assert!(parse(&ok).is_ok());

    // Copies count towards the depth where they land.
    let nested = format!("a: &n {}{}\nb: [*n]\n", "[".repeat(63), "]".repeat(63));
    let err = parse(&nested).expect_err("copy nests too deep");
    assert!(err.message.contains("Depth"), "{err:?}");
    assert_eq!(err.loc, Loc { line: 2, column: 5 });
}

#[test]
fn one_document_per_file() {
    let err = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
    assert_eq!(err.loc, Loc { line: 2, column: 1 });
    assert!(err.message.contains("second"), "{err:?}");
    assert!(parse("---\na: 1\n...\n").is_ok());
}

#[test]
fn syntax_errors_keep_the_parser_message() {
    let err = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("unclosed flow list");
    assert_eq!(err.loc, Loc { line: 3, column: 2 });
    assert_eq!(err.message, "illegal placement of ':' indicator");
}

#[test]
fn comments_and_non_ascii_columns() {
    let node = parse("# head\né: ü # tail\nx: \"é\"\n").expect("valid yaml");
    let Value::Map(entries) = &node.value else {
        panic!("expected a map")
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].1.loc, Loc { line: 2, column: 4 });
    assert_eq!(entries[1].1.value, Value::Str("é".into()));
}
